"""Shared fixtures: clean cache and lockout state, factories, and a fully (MFA) signed-in client."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from axes.utils import reset as axes_reset

from partners.auth import MfaAdapter
from partners.models import User
from tests.factories import DEFAULT_PASSWORD, PartnerFactory, UserFactory


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say in the CI log which database, cache/broker and Celery mode this run used."""
    import django

    django.setup()
    database = settings.DATABASES["default"]
    from django.db import connection

    redis_url = settings.REDIS_URL
    return [
        f"database: ENGINE={database['ENGINE']} vendor={connection.vendor}",
        "redis: "
        + (
            "used (REDIS_URL is set: real-worker and fault tests)"
            if redis_url
            else "not used (REDIS_URL not set: real-worker and fault tests skipped)"
        ),
        f"celery: task_always_eager={settings.CELERY_TASK_ALWAYS_EAGER} "
        f"(broker for real-worker tests: {'REDIS_URL' if redis_url else 'none'})",
    ]


# Every test starts at the same instant, at the start of a 30-second TOTP period, with the clock
# ticking: a code computed in a test is still valid when it is posted (no flaky period edge).
TEST_START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_clock: run on the real clock (not the fixed TEST_START), e.g. a real worker",
    )


@pytest.fixture(autouse=True)
def _fixed_start_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(TEST_START, tick=True):
        yield


@pytest.fixture(autouse=True)
def _own_checkpoint_directory(settings: Any, tmp_path: Path) -> None:
    """Signed audit checkpoints live outside the database, so the test database's rollback does
    not remove them: every test gets a directory of its own."""
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")


@pytest.fixture(autouse=True)
def _clean_cache_and_lockouts(db: None) -> None:
    """allauth marks used TOTP codes in the cache and axes counts failures: start every test clean."""
    cache.clear()
    axes_reset()


@pytest.fixture
def partner_factory() -> type[PartnerFactory]:
    return PartnerFactory


@pytest.fixture
def user_factory() -> type[UserFactory]:
    return UserFactory


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret`` (time-machine aware)."""
    from allauth.mfa import app_settings as mfa_settings

    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def stored_totp_secret(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return MfaAdapter().decrypt(authenticator.data["secret"])


def totp_code_for(user: User) -> str:
    return current_totp_code(stored_totp_secret(user))


def login_with_password(client: Client, username: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": username, "password": password}, **extra)


def enrol_totp(client: Client, password: str = DEFAULT_PASSWORD) -> tuple[str, Any]:
    """Enrol a TOTP authenticator through the real views; returns (secret, POST response).

    A password typed within allauth's reauthentication window counts (partners.views); should
    allauth still ask for the password again (MFA_REAUTHENTICATION_REQUIRED, e.g. after time
    travel), that step is followed here too.
    """
    activate_url = reverse("mfa_activate_totp")
    page = client.get(activate_url)
    if page.status_code == 302 and page["Location"].startswith(reverse("account_reauthenticate")):
        response = client.post(page["Location"], {"password": password})
        assert response.status_code == 302, response
        assert response["Location"] == activate_url
        page = client.get(activate_url)
    assert page.status_code == 200, page
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    return secret, response


def sign_in_fully(client: Client, user: User, password: str = DEFAULT_PASSWORD) -> Client:
    """Sign ``user`` in through the real login and one-time-code views (enrolling if needed)."""
    response = login_with_password(client, user.username, password)
    assert response.status_code == 302, response
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        assert response["Location"] == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code_for(user)})
        assert response.status_code == 302, response
        assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    else:
        _, response = enrol_totp(client, password)
        assert response.status_code == 302, response
    return client


@pytest.fixture
def mfa_client(db: None) -> Callable[[User], Client]:
    """``mfa_client(user)``: a new test client, signed in as ``user`` with password and code.

    A TOTP code is single-use: signing the same user in twice needs a new time window
    (use time-machine to move 30 seconds on).
    """

    def make(user: User, password: str = DEFAULT_PASSWORD) -> Client:
        return sign_in_fully(Client(), user, password)

    return make


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say at the end of the run which real services the passed tests used (for the CI log)."""
    passed = terminalreporter.stats.get("passed", [])
    real = {
        "tests/config/test_celery.py::test_health_runs_on_a_real_worker_over_redis": (
            "celery: a task ran on a real worker over Redis"
        ),
        "tests/test_database.py::test_runs_on_postgresql": "database: tests ran on PostgreSQL",
    }
    for report in passed:
        if report.nodeid in real and report.when == "call":
            terminalreporter.write_line(real[report.nodeid])
    from tests.faults.test_faults import REPORT as faults

    for line in faults:  # the fault experiments: what happened and how long recovery took
        terminalreporter.write_line(f"faults: {line}")
