"""Faults seen by the user: the database unreachable is a Dutch 503 with Retry-After (no stack
trace), oversized input a 413, malformed input a 400; health endpoints for the orchestrator."""

from __future__ import annotations

from unittest import mock

from django.db import OperationalError
from django.test import Client
from django.urls import reverse

import pytest

from tests.casus.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def _signed_in(mfa_client, user) -> Client:
    client = mfa_client(user)
    client.raise_request_exception = False
    return client


def test_a_page_while_the_database_is_unreachable_is_a_503_to_try_again(mfa_client) -> None:
    client = _signed_in(mfa_client, CoordinatorFactory.create(mfa=True))
    with mock.patch(
        "casus.casussen.selectors.casus_list_for",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(reverse("casussen:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Even niet beschikbaar" in html and "halve minuut" in html
    assert "Traceback" not in html and "connection refused" not in html


def test_the_api_gets_the_same_answer_as_json(mfa_client) -> None:
    client = _signed_in(mfa_client, CoordinatorFactory.create(mfa=True))
    with mock.patch(
        "casus.casussen.selectors.casus_list_for",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/api/v1/casussen/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "niet beschikbaar" in response.json()["detail"]


def test_another_error_is_the_products_own_500_page(mfa_client) -> None:
    client = _signed_in(mfa_client, CoordinatorFactory.create(mfa=True))
    with mock.patch("casus.casussen.selectors.casus_list_for", side_effect=ValueError("x")):
        response = client.get(reverse("casussen:list"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_oversized_input_is_a_413_in_dutch(mfa_client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = _signed_in(mfa_client, CoordinatorFactory.create(mfa=True))
    response = client.post(reverse("signalen:new"), {"omschrijving": "x" * 20_000})
    assert response.status_code == 413
    html = response.content.decode()
    assert "Te veel tekst" in html and "niets opgeslagen" in html


def test_malformed_input_is_a_400_in_dutch(mfa_client, settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client = _signed_in(mfa_client, CoordinatorFactory.create(mfa=True))
    response = client.post(reverse("signalen:new"), {f"veld{n}": "x" for n in range(10)})
    assert response.status_code == 400
    assert "Verzoek niet verwerkt" in response.content.decode()


def test_healthz_is_the_process_only(client: Client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_names_each_dependency(client: Client) -> None:
    response = client.get(reverse("readyz"))
    body = response.json()
    assert set(body) == {"status", "database", "redis", "migrations"}
    assert (body["database"], body["migrations"]) == ("ok", "ok")
    assert body["redis"] in {"ok", "niet_ingesteld"}
    assert response.status_code == 200


def test_readyz_is_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch("config.health._database", return_value="fout"):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["database"] == "fout"
    assert response.json()["migrations"] == "fout"


def test_readyz_is_503_when_redis_is_configured_but_down(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["redis"] == "fout"


def test_a_3_mb_bijdrage_is_a_413_and_nothing_is_saved(mfa_client) -> None:
    """With the platform's own limit (Django's default of 2.5 MB per request)."""
    from casus.models import Bijdrage
    from tests.casus.factories import CasusFactory

    coordinator = CoordinatorFactory.create(mfa=True)
    casus = CasusFactory.create(coordinator=coordinator, partners=[coordinator.partner])
    client = _signed_in(mfa_client, coordinator)
    response = client.post(
        reverse("casussen:bijdrage_create", args=[casus.referentie]),
        {"categorie": "zorg", "zichtbaarheid": "keten", "tekst": "x" * (3 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "Te veel tekst" in response.content.decode()
    assert not Bijdrage.objects.filter(casus=casus).exists()
