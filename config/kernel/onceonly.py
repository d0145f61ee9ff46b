"""Once-only submits: a form (hidden field ``_once``) or an API call (``Idempotency-Key``
header) that is sent twice, by a double click or a client's retry, takes effect once. The repeat
gets the first answer (the same redirect; for the API the same status and body) and creates
nothing new. A submit that ended in an error is forgotten, so it can be corrected and sent again.

What is kept is where the first submit led (a path with ids) or, for the API, its answer
encrypted at rest; records are removed after a day.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
import time
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from config.kernel import crypto
from config.kernel.models import OnceOnly

FIELD = "_once"
HEADER = "Idempotency-Key"
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
WAIT_SECONDS = 10.0  # a repeat waits this long for the first submit to finish
KEEP = datetime.timedelta(days=1)
_PURPOSE = "kernel.onceonly"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _fingerprint(request: HttpRequest) -> str:
    """Keyed, so the stored value says nothing about the content it was computed from."""
    return salted_hmac(_PURPOSE, request.body).hexdigest()


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _token_of(request: HttpRequest) -> str | None:
    token = request.headers.get(HEADER) if _api(request) else request.POST.get(FIELD)
    return token if token and _TOKEN.fullmatch(token) else None


def _replay(request: HttpRequest, record: OnceOnly) -> HttpResponse:
    if _api(request):
        stored = json.loads(crypto.decrypt(record.body, purpose=_PURPOSE)) if record.body else {}
        if stored.get("fingerprint") != _fingerprint(request):
            response = HttpResponse(
                json.dumps(
                    {"detail": _("Deze Idempotency-Key is al gebruikt voor een ander verzoek.")}
                ),
                status=422,
                content_type="application/json",
            )
            return response
        response = HttpResponse(
            stored.get("content", ""),
            status=record.status_code or 200,
            content_type=stored.get("content_type", "application/json"),
        )
        response["Idempotent-Replayed"] = "true"
        return response
    messages.info(request, _("Dit formulier was al verstuurd; er is niets dubbel opgeslagen."))
    return HttpResponseRedirect(record.location or "/")


def _still_busy(request: HttpRequest) -> HttpResponse:
    detail = _("Uw eerdere verzending wordt nog verwerkt. Wacht even en kijk dan of het gelukt is.")
    if _api(request):
        return HttpResponse(
            json.dumps({"detail": detail}), status=409, content_type="application/json"
        )
    return HttpResponse(render_to_string("409.html"), status=409)


class OnceOnlyMiddleware:
    """After authentication: a POST with a once-only token is recorded before it runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.user.is_authenticated:
            return self.get_response(request)
        token = _token_of(request)
        if token is None:
            return self.get_response(request)
        try:
            with transaction.atomic():
                record = OnceOnly.objects.create(user_id=request.user.pk, token=token)
        except IntegrityError:
            return self._repeat(request, token)
        response = self.get_response(request)
        self._remember(request, record, response)
        return response

    def _remember(self, request: HttpRequest, record: OnceOnly, response: HttpResponse) -> None:
        status = response.status_code
        if _api(request) and 200 <= status < 300:
            record.body = crypto.encrypt(
                json.dumps(
                    {
                        "fingerprint": _fingerprint(request),
                        "content": response.content.decode(),
                        "content_type": response.get("Content-Type", "application/json"),
                    }
                ),
                purpose=_PURPOSE,
            )
        elif not _api(request) and 300 <= status < 400 and response.has_header("Location"):
            record.location = response["Location"][:300]
        else:
            # An error or a page shown again with its errors: forget the token.
            OnceOnly.objects.filter(pk=record.pk).delete()
            return
        record.done = True
        record.status_code = status
        record.save(update_fields=["done", "status_code", "body", "location"])

    def _repeat(self, request: HttpRequest, token: str) -> HttpResponse:
        deadline = time.monotonic() + WAIT_SECONDS
        user_id = request.user.pk or 0  # signed in (checked above)
        while True:
            record = OnceOnly.objects.filter(user_id=user_id, token=token).first()
            if record is None:
                # The first submit failed and was forgotten meanwhile: this one may run.
                return self.__call__(request)
            if record.done:
                return _replay(request, record)
            if time.monotonic() >= deadline:
                return _still_busy(request)
            time.sleep(0.1)


def purge_old(*, now: datetime.datetime | None = None) -> int:
    deleted, _ = OnceOnly.objects.filter(created_at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted
