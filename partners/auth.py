"""Authentication glue: allauth adapters (no sign-up, TOTP secrets encrypted), django-axes, and
the signed-in user of a request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from config.kernel import crypto
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
