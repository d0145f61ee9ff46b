"""Authentication glue: allauth adapters (no sign-up, TOTP secrets encrypted) and django-axes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from config.kernel import crypto

TOTP_PURPOSE = "mfa-totp"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made by the functional administrator, never by the public.
        return False


class MfaAdapter(DefaultMFAAdapter):
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
