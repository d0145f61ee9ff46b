"""Authentication glue: allauth adapters (no sign-up, TOTP secrets encrypted, the password a
user chooses), the lockout of the password step (django-axes plus a growing delay per account and
a limit per address), and the signed-in user of a request."""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.internal.stagekit import clear_login
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out

from config.kernel import crypto
from partners import events, services
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

    def set_password(self, user: User, password: str) -> None:
        # Every password the user chooses itself (the change page): ends a forced change, audited.
        services.user_password_change(user=user, password=password)
        user.refresh_from_db()

    def post_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse:
        """The sign-in is complete: this browser is now a known device of the account."""
        response: HttpResponse = super().post_login(request, user, **kwargs)
        remember_device(response, user.username)
        return response


class ChangePasswordForm(AllauthChangePasswordForm):  # type: ignore[misc]
    """allauth's change form; the new password must differ from the current one (after a
    beheerder set a temporary password, the user really chooses its own)."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        old, new = cleaned.get("oldpassword"), cleaned.get("password1")
        if old and new and old == new:
            self.add_error(
                "password1", gettext("Kies een ander wachtwoord dan uw huidige wachtwoord.")
            )
        return cleaned


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


# --- the password step: a growing delay per account, a limit per address ----------------------
#
# django-axes records every failed attempt (username, address) and forgets it AXES_COOLOFF_TIME
# after the last one. It cannot express the rule itself, so this handler decides:
# - per account (whatever the address): after AXES_FAILURE_LIMIT failures the account is delayed
#   1, 2, 4 ... minutes after each further failure, at most LOGIN_ACCOUNT_MAX_DELAY. A browser
#   that completed a sign-in of the account before (the device cookie) is not delayed, so a third
#   party who guesses passwords cannot keep the user out;
# - per address: LOGIN_ADDRESS_FAILURE_LIMIT failures across accounts lock the address for
#   AXES_COOLOFF_TIME after the last one.
# Attempts refused during a delay or lock are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_
# LOCKOUT=False): hammering does not lengthen the delay, and no password is checked meanwhile.

_DEVICE_SALT = "ketenregie.partners.device"


def _device_token(username: str) -> str:
    return salted_hmac(_DEVICE_SALT, username.strip().lower()).hexdigest()


def remember_device(response: HttpResponse, username: str) -> None:
    response.set_signed_cookie(
        settings.LOGIN_DEVICE_COOKIE_NAME,
        _device_token(username),
        salt=_DEVICE_SALT,
        max_age=int(settings.LOGIN_DEVICE_COOKIE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_known_device(request: HttpRequest, username: str | None) -> bool:
    """Whether this browser completed a sign-in of ``username`` before (a signed cookie holding
    a keyed hash of the username, never the username itself)."""
    if not username:
        return False
    token = request.get_signed_cookie(
        settings.LOGIN_DEVICE_COOKIE_NAME,
        default=None,
        salt=_DEVICE_SALT,
        max_age=settings.LOGIN_DEVICE_COOKIE_AGE,
    )
    return token is not None and constant_time_compare(token, _device_token(username))


def _now(request: HttpRequest | None) -> datetime.datetime:
    moment = getattr(request, "axes_attempt_time", None)
    return moment if isinstance(moment, datetime.datetime) else timezone.now()


def _recent(now: datetime.datetime, **filters: Any) -> tuple[int, datetime.datetime | None]:
    """Failures and the last failure within the cool-off, for one username or address."""
    totals = AccessAttempt.objects.filter(
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME, **filters
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return int(totals["failures"] or 0), totals["last"]


def account_delay(failures: int) -> datetime.timedelta:
    """The wait after the ``failures``-th failure: none below the limit, then 1, 2, 4 ... minutes,
    at most LOGIN_ACCOUNT_MAX_DELAY."""
    if failures < settings.AXES_FAILURE_LIMIT:
        return datetime.timedelta(0)
    doublings = min(failures - settings.AXES_FAILURE_LIMIT, 20)
    first: datetime.timedelta = settings.LOGIN_ACCOUNT_FIRST_DELAY
    cap: datetime.timedelta = settings.LOGIN_ACCOUNT_MAX_DELAY
    delay = first * (1 << doublings)
    return delay if delay < cap else cap


def account_delayed_until(
    request: HttpRequest, credentials: dict[str, Any] | None = None
) -> datetime.datetime | None:
    username = get_client_username(request, credentials)
    if not username or is_known_device(request, username):
        return None
    now = _now(request)
    failures, last = _recent(now, username=username)
    until = last + account_delay(failures) if last is not None and failures else None
    return until if until is not None and until > now else None


def address_locked_until(request: HttpRequest) -> datetime.datetime | None:
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return None
    now = _now(request)
    failures, last = _recent(now, ip_address=address)
    if last is None or failures < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return None
    until: datetime.datetime = last + settings.AXES_COOLOFF_TIME
    return until if until > now else None


def lockout_ends_at(
    request: HttpRequest, credentials: dict[str, Any] | None = None
) -> datetime.datetime:
    """When the user may try again (the later of the account delay and the address lock)."""
    ends = [
        moment
        for moment in (account_delayed_until(request, credentials), address_locked_until(request))
        if moment is not None
    ]
    return max(ends) if ends else _now(request) + settings.LOGIN_ACCOUNT_FIRST_DELAY


def minutes_until(moment: datetime.datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds() / 60))


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler (it records the attempts) with this module's rule."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return (
            account_delayed_until(request, credentials) is not None
            or address_locked_until(request) is not None
        )

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # axes locks the attempt that reaches AXES_FAILURE_LIMIT (and every later failure): only
        # while the account is actually delayed for this browser.
        if account_delayed_until(request, credentials) is None:
            return 0
        username = get_client_username(request, credentials)
        return _recent(_now(request), username=username)[0]

    def user_login_failed(
        self,
        sender: object,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_locked_until(request) is not None:
            # This failure reached the limit of the address.
            # django-axes keeps its state on the request (AxesMiddleware answers with the lockout).
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=getattr(request, "axes_ip_address", None),
            )


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
