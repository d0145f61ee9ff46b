"""Shared plumbing of the REST API v1: the exception handler, pagination and refusals."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404

from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from audit import services as audit_services
from casus.casussen import serializers, services
from partners.policy import Permission, has_permission


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Service refusals are 404 (never reveal existence); service validation is a 400 with
    Dutch messages per field; a concurrent edit is a 409 carrying the current state."""
    if isinstance(exc, DjangoPermissionDenied):
        exc = Http404()
    elif isinstance(exc, DjangoValidationError):
        exc = DrfValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, services.ConflictError):
        return Response(
            {
                "detail": "Deze afspraak is intussen door iemand anders gewijzigd.",
                "huidig": serializers.AfspraakSerializer(exc.current).data,
            },
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    page_size = 50
    page_query_param = "pagina"


def require(allowed: bool) -> None:
    """A refused write is a 404 before its input is looked at: the answer never depends on
    whether the input was valid (the service checks again)."""
    if not allowed:
        raise Http404


def require_content_reader(request: Request) -> None:
    if not has_permission(request.user, Permission.CASUS_READ_CONTENT):
        if request.user.is_authenticated:
            audit_services.record_denied(user=request.user, object_type="casus")
        raise Http404


def parse_int(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise Http404 from exc


MAX_JSON_DEPTH = 20  # far deeper than any request body of this API
MAX_JSON_BYTES = 256 * 1024


class LimitedJSONParser(JSONParser):
    """JSON request bodies within a size and a nesting depth; anything else is a clear 400
    (a body nested thousands of levels deep would otherwise exhaust the parser's recursion)."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read(MAX_JSON_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_JSON_BYTES:
            raise ParseError("De gegevens zijn te groot (ten hoogste 256 kB).")
        text = raw.decode((parser_context or {}).get("encoding") or "utf-8", errors="replace")
        # Count the brackets before parsing: json.loads itself recurses per level.
        depth = level = 0
        in_string = escaped = False
        for char in text:
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "[{":
                level += 1
                depth = max(depth, level)
            elif char in "]}":
                level -= 1
            if depth > MAX_JSON_DEPTH:
                raise ParseError(
                    f"De gegevens zijn te diep genest (ten hoogste {MAX_JSON_DEPTH} niveaus)."
                )
        try:
            return json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise ParseError("De gegevens zijn geen geldige JSON.") from exc
