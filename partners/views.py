"""Pages of the partners app: MFA enrolment, lockout and health."""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    record_authentication,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import activate_totp as allauth_activate_totp

from partners import events
from partners.auth import address_locked_until, lockout_ends_at, minutes_until
from partners.models import User


@never_cache
def activate_totp(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """allauth's TOTP enrolment; a successful enrolment completes the session's MFA step.

    Entering a valid code from the new authenticator proves possession just like the login step.
    The enrolment and its audit event are one transaction.
    """
    user = request.user
    if user.is_authenticated and _has_totp(user):
        return redirect("home")
    if user.is_authenticated:
        _count_fresh_login_as_reauthentication(request)
    with transaction.atomic():
        response: HttpResponse = allauth_activate_totp(request, *args, **kwargs)
        if (
            request.method == "POST"
            and user.is_authenticated
            and response.status_code == 302
            and _has_totp(user)
        ):
            events.record(
                action="auth.mfa_enrolled", actor=user, object_type="user", object_ref=str(user.pk)
            )
            record_authentication(request, user, "mfa", type="totp", enrolment=True)
    return response


def _count_fresh_login_as_reauthentication(request: HttpRequest) -> None:
    """allauth asks for the password again before an authenticator is added. At the first
    enrolment the password was typed moments ago: a password step within the
    reauthentication window counts, so a new user is not asked twice in a row."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    window = account_settings.REAUTHENTICATION_TIMEOUT
    fresh = [
        r
        for r in records
        if r.get("method") == "password" and time.time() - float(r.get("at", 0)) < window
    ]
    if fresh and not any(r.get("reauthenticated") for r in records):
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            *records,
            {**fresh[-1], "reauthenticated": True},
        ]


def _has_totp(user: User) -> bool:
    # allauth is untyped: its queryset answers Any.
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def lockout(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    """django-axes lockout: the same answer whether or not the username exists.

    The page says when the user may try again: the end of the account's delay or of the
    address's lock (partners.auth), whichever is later.
    """
    retry_at = lockout_ends_at(request, credentials)
    return render(
        request,
        "partners/lockout.html",
        {
            "retry_at": retry_at,
            "retry_minutes": minutes_until(retry_at),
            "address_locked": address_locked_until(request) is not None,
        },
        status=429,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Used for 403 too: a user is never told that something exists which they may not see."""
    return render(request, "404.html", status=404)
