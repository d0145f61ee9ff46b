"""Session rules: mandatory MFA for every user, a forced password change where the beheerder set
the password, and an absolute session lifetime.

The idle timeout is Django's own: the session expires SESSION_COOKIE_AGE after the last request
(SESSION_SAVE_EVERY_REQUEST renews it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

logger = logging.getLogger(__name__)

SESSION_STARTED_KEY = "ketenregie_session_started"
SESSION_IDENTITY_KEY = "ketenregie_signed_in_as"  # role and partner at sign-in

# Where a signed-in user without a completed MFA step may go: enrolment, logout, static files.
MFA_EXEMPT_URL_NAMES = (
    "mfa_activate_totp",
    "account_reauthenticate",
    "account_logout",
    "set_language",
    "healthz",
    "readyz",
)


def session_has_mfa(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def _signed_in_at(request: HttpRequest) -> float | None:
    """When this session's sign-in began (allauth's first authentication record)."""
    records = get_authentication_records(request, request.user)
    moments = [float(record["at"]) for record in records if "at" in record]
    return min(moments) if moments else None


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after sign-in, however active it was, and at once when the user's
    role or partner changed since the sign-in, or a second beheerder approved access to case
    content (what the session was granted no longer holds)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                # Count from the sign-in itself, not from the first page after it.
                started = request.session[SESSION_STARTED_KEY] = _signed_in_at(request) or now
            user = request.user
            identity = f"{user.role}:{user.partner_id}:{user.access_version}"
            signed_in_as = request.session.setdefault(SESSION_IDENTITY_KEY, identity)
            if signed_in_as != identity:
                logger.info("session.ended_role_changed user_id=%s", request.user.pk)
                logout(request)
                messages.info(request, _("Uw functie of organisatie is gewijzigd. Log opnieuw in."))
                return redirect(settings.LOGIN_URL)
            limit = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if now - float(started) > limit:
                logger.info("session.expired_absolute user_id=%s", request.user.pk)
                logout(request)
                messages.info(request, _("Uw sessie is verlopen. Log opnieuw in."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class MfaRequiredMiddleware:
    """A session is complete only after a one-time code. Until then: enrolment or logout only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not session_has_mfa(request):
            if Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists():
                # Enrolled, yet this session never passed the code step: start over.
                logger.warning("session.mfa_missing user_id=%s", request.user.pk)
                logout(request)
                return redirect(settings.LOGIN_URL)
            exempt = {reverse(name) for name in MFA_EXEMPT_URL_NAMES}
            if request.path not in exempt and not request.path.startswith(settings.STATIC_URL):
                return redirect("mfa_activate_totp")
        return self.get_response(request)


# Where a signed-in user who must choose a new password may go: that page, logout, and what the
# MFA step needs (the MFA rule above comes first).
PASSWORD_CHANGE_EXEMPT_URL_NAMES = (
    "account_change_password",
    "account_logout",
    "mfa_activate_totp",
    "account_reauthenticate",
    "set_language",
    "healthz",
    "readyz",
)


class PasswordChangeRequiredMiddleware:
    """An account whose password the beheerder chose (a new account, a reset) first chooses its
    own: until then every other page sends the user to the password change page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.must_change_password:
            exempt = {reverse(name) for name in PASSWORD_CHANGE_EXEMPT_URL_NAMES}
            if request.path not in exempt and not request.path.startswith(settings.STATIC_URL):
                return redirect("account_change_password")
        return self.get_response(request)
