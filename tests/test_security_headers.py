"""Security headers and a template scan: strict CSP without inline script or style."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
TEMPLATE_FILES = sorted(TEMPLATES_DIR.rglob("*.html"))


def _csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_login_page_has_a_strict_content_security_policy(client: Client):
    response = client.get(reverse("account_login"))
    header = response["Content-Security-Policy"]
    directives = _csp_directives(header)

    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header


def test_login_page_security_headers(client: Client):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(mfa_client):
    from tests.factories import UserFactory

    response = mfa_client(UserFactory.create(mfa=True)).get("/")
    assert "no-store" in response["Cache-Control"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_session_and_csrf_cookies_are_hardened(client: Client):
    from tests.factories import UserFactory

    user = UserFactory.create(mfa=True)
    response = client.post(
        reverse("account_login"),
        {"login": user.username, "password": "Testwachtwoord-lang-genoeg-42"},
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]


def test_there_are_templates_to_scan():
    assert TEMPLATES_DIR / "base.html" in TEMPLATE_FILES


@pytest.mark.parametrize(
    "template", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES_DIR))
)
def test_template_has_no_inline_script_or_style(template: Path):
    source = template.read_text()

    for tag in re.findall(r"<script\b[^>]*>", source, flags=re.IGNORECASE):
        assert re.search(r"\bsrc\s*=", tag), f"inline <script> in {template.name}: {tag}"
    # An external script has no body.
    for body in re.findall(r"<script\b[^>]*>(.*?)</script>", source, flags=re.I | re.S):
        assert not body.strip(), f"<script> with a body in {template.name}"
    assert not re.search(r"<style\b", source, flags=re.IGNORECASE), f"<style> in {template.name}"
    assert not re.search(r"\sstyle\s*=", source, flags=re.IGNORECASE), (
        f"style= attribute in {template.name}"
    )
    handler = re.search(r"<[^>]*\son[a-z]+\s*=", source, flags=re.IGNORECASE)
    assert handler is None, (
        f"inline event handler in {template.name}: {handler and handler.group(0)}"
    )
    assert "javascript:" not in source.lower(), f"javascript: URL in {template.name}"
