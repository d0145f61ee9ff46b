"""config.settings under production-like environments, run in a subprocess (fresh settings)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _key() -> str:
    return "1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        KETENREGIE_ENV_FILE="/nonexistent",
        DEBUG="false",
        DEMO_MODE="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        PSEUDONYM_KEYS=_key(),
        FIELD_ENCRYPTION_KEYS=_key(),
        AUDIT_SIGNING_KEY=_key().split(":", 1)[1],
        ALLOWED_HOSTS="ketenregie.example.nl",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(overrides)
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_has_no_warnings():
    result = run_manage("check", "--deploy", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output


def test_demo_mode_is_refused_without_debug():
    result = run_manage("check", env=production_env(DEMO_MODE="true"))
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_demo_mode_is_refused_at_import_too():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_env(DEMO_MODE="true"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "DEMO_MODE=true requires DEBUG=true" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SECRET_KEY", "", "SECRET_KEY is not set"),
        ("SECRET_KEY", "te-kort", "SECRET_KEY is not set or shorter than 50"),
        ("PSEUDONYM_KEYS", "", "PSEUDONYM_KEYS is not set"),
        ("FIELD_ENCRYPTION_KEYS", "1:dGUta29ydA", "FIELD_ENCRYPTION_KEYS: key version 1 must be"),
    ],
)
def test_missing_or_weak_secrets_are_refused(variable: str, value: str, message: str):
    result = run_manage("check", env=production_env(**{variable: value}))
    assert result.returncode != 0
    assert message in result.stderr


def test_production_defaults_are_secure():
    # Imported in a subprocess so the real module-level defaults are read.
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.DEMO_MODE, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_NAME, "
        "s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "__Host-sessionid",
        "True",
    ]
