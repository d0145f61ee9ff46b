"""The platform's own error pages, rendered without the database and without the session (they
must work while the database is down): a 503 with Retry-After when the database cannot be
reached, 400 for malformed input, 413 for input that is too large, 500 for the rest. The API gets
the same answers as JSON. No stack trace, no content, no identifiers."""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def _answer(request: HttpRequest, template: str, status: int, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": detail}, status=status)
    else:
        # No request in the context: no context processor (menu, user) may touch the database.
        response = HttpResponse(render_to_string(template), status=status)
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable(request: HttpRequest) -> HttpResponse:
    response = _answer(
        request,
        "503.html",
        503,
        _("Ketenregie is even niet beschikbaar. Probeer het over een halve minuut opnieuw."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that cannot be reached is a 503 (try again shortly), not a 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("request.database_unavailable path_kind=%s", request.path.split("/")[1:2])
        return database_unavailable(request)
    return _answer(
        request,
        "500.html",
        500,
        _("Er ging iets mis. Wat u net deed, is niet opgeslagen. Probeer het opnieuw."),
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400; input above the size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return _answer(
            request,
            "413.html",
            413,
            _("Wat u verstuurde is te groot. Maak de tekst korter en probeer het opnieuw."),
        )
    return _answer(
        request,
        "400.html",
        400,
        _("Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw."),
    )
