"""Authentication glue: allauth adapters (no sign-up, TOTP secrets encrypted), django-axes, and
the signed-in user of a request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator

from config.kernel import crypto
from partners import events
from partners.models import User

TOTP_PURPOSE = "mfa-totp"


def signed_in(user: User | AnonymousUser) -> User:
    """``request.user`` behind a login check (``require_permission``, DRF's ``IsAuthenticated``),
    as the signed-in ``User`` the services and selectors take.

    Anyone else is refused like every refusal: ``PermissionDenied``, which the page guard and the
    API answer with a 404. Behind a login check that never happens."""
    if not user.is_authenticated:
        raise PermissionDenied
    return user


# allauth ships no type information, so its base classes are Any to mypy.
class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made by the functional administrator, never by the public.
        return False


class MfaAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text, purpose=TOTP_PURPOSE)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text, purpose=TOTP_PURPOSE)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # MFA is mandatory for every user: an authenticator is replaced by the administrator,
        # never switched off by its owner.
        return False


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """allauth authenticates with ``username=``; its form posts the field as ``login``."""
    if credentials and credentials.get("username"):
        return str(credentials["username"]).strip().lower()
    value = request.POST.get("login") if request is not None else None
    return value.strip().lower() if value else None


# --- the one-time-code step: limited like the password step -------------------------------------

MFA_ATTEMPT_LIMIT = 5  # wrong codes within one sign-in attempt: then start again with the password
MFA_ACCOUNT_LIMIT = 10  # wrong codes for one account within the cool-off: then the step is locked
_ATTEMPT_KEY = "ketenregie_mfa_failures"


def _account_key(user: User) -> str:
    return f"mfa-failures:{user.pk}"


def mfa_account_locked(user: User) -> bool:
    return int(cache.get(_account_key(user), 0)) >= MFA_ACCOUNT_LIMIT


class LimitedAuthenticateForm(AuthenticateForm):  # type: ignore[misc]
    """allauth's code step (TOTP and recovery codes) with the limits of the password step: at
    most 5 wrong codes per sign-in attempt (then the password step starts over) and 10 per account
    within the cool-off (then the code step is locked, also for the right code). Every wrong code
    and every lock is an audit event. The counters live in the database (the cache), so they
    hold across web processes and while Redis is down."""

    def clean_code(self) -> str:
        request = context.request
        user: User = self.user
        if mfa_account_locked(user):
            raise ValidationError(_locked_message())
        try:
            code: str = super().clean_code()
        except ValidationError:
            self._failed(request, user)
            raise
        request.session.pop(_ATTEMPT_KEY, None)
        return code

    def _failed(self, request: HttpRequest, user: User) -> None:
        events.record(
            action="auth.mfa_failed",
            actor=user,
            object_type="user",
            object_ref=str(user.pk),
            outcome="failure",
        )
        timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
        key = _account_key(user)
        cache.add(key, 0, timeout=timeout)
        account_failures = cache.incr(key)
        attempt_failures = int(request.session.get(_ATTEMPT_KEY, 0)) + 1
        request.session[_ATTEMPT_KEY] = attempt_failures
        if account_failures >= MFA_ACCOUNT_LIMIT:
            events.record(
                action="auth.mfa_lockout",
                actor=user,
                object_type="user",
                object_ref=str(user.pk),
                outcome="denied",
            )
            clear_login(request)
            request.session.pop(_ATTEMPT_KEY, None)
            raise ValidationError(_locked_message())
        if attempt_failures >= MFA_ATTEMPT_LIMIT:
            clear_login(request)
            request.session.pop(_ATTEMPT_KEY, None)
            raise ValidationError(
                gettext(
                    "Vijf keer een onjuiste code. Log opnieuw in met uw gebruikersnaam en "
                    "wachtwoord."
                )
            )


def _locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return gettext(
        "Te veel onjuiste codes voor dit account. De code-stap is %(minutes)d minuten geblokkeerd; "
        "neem zo nodig contact op met de functioneel beheerder."
    ) % {"minutes": minutes}
