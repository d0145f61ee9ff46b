"""Once-only submits: the same form sent twice (a double click) or the same API call retried
with its Idempotency-Key takes effect once, and the repeat gets the first answer."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone

import pytest

from casus.models import Signaal
from config.kernel import onceonly
from config.kernel.models import OnceOnly
from partners.models import PartnerKind
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter():
    return UserFactory.create(partner=PartnerFactory.create(kind=PartnerKind.ZORG), mfa=True)


def _form(token: str) -> dict[str, str]:
    return {
        "datum_waargenomen": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "bron": "hulpverlening",
        "sector": "raam",
        "gemeente": "onbekend",
        "niet_pluis": "1",
        "urgentie": "normaal",
        "omschrijving": "Wordt gebracht en gehaald.",
        "zichtbaarheid": "keten",
        onceonly.FIELD: token,
    }


def test_every_form_that_writes_carries_a_fresh_token(reporter, mfa_client) -> None:
    client = mfa_client(reporter)
    html = client.get(reverse("signalen:new")).content.decode()
    tokens = re.findall(r'name="_once" value="([^"]+)"', html)
    assert len(tokens) == 1
    again = client.get(reverse("signalen:new")).content.decode()
    assert re.findall(r'name="_once" value="([^"]+)"', again) != tokens


def test_a_double_click_creates_one_signal_and_both_answers_lead_to_it(
    reporter, mfa_client
) -> None:
    client = mfa_client(reporter)
    token = onceonly.new_token()
    first = client.post(reverse("signalen:new"), _form(token))
    second = client.post(reverse("signalen:new"), _form(token))
    assert Signaal.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    page = client.get(second["Location"])
    assert "al verstuurd" in page.content.decode()


def test_a_form_with_errors_can_be_corrected_and_sent_with_the_same_token(
    reporter, mfa_client
) -> None:
    client = mfa_client(reporter)
    token = onceonly.new_token()
    bad = client.post(reverse("signalen:new"), {**_form(token), "omschrijving": ""})
    assert bad.status_code == 400
    assert not OnceOnly.objects.exists()  # forgotten: nothing took effect
    good = client.post(reverse("signalen:new"), _form(token))
    assert good.status_code == 302
    assert Signaal.objects.count() == 1


def test_a_repeat_while_the_first_is_still_running_says_so(
    reporter, mfa_client, monkeypatch
) -> None:
    monkeypatch.setattr(onceonly, "WAIT_SECONDS", 0.2)
    client = mfa_client(reporter)
    token = onceonly.new_token()
    OnceOnly.objects.create(user=reporter, token=token)  # the first submit, not finished
    response = client.post(reverse("signalen:new"), _form(token))
    assert response.status_code == 409
    assert "nog verwerkt" in response.content.decode()
    assert not Signaal.objects.exists()


def test_the_api_honours_an_idempotency_key(reporter, mfa_client) -> None:
    client = mfa_client(reporter)
    payload = {k: v for k, v in _form("x").items() if k != onceonly.FIELD}
    payload.pop("gemeente")
    payload["voornamen"] = "Kanaarvoornaam"
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-key-0123456789"}
    first = client.post("/api/v1/signalen/", payload, content_type="application/json", **headers)
    second = client.post("/api/v1/signalen/", payload, content_type="application/json", **headers)
    assert first.status_code == second.status_code == 201, first.content
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Signaal.objects.count() == 1
    stored = OnceOnly.objects.get()
    assert "Wordt gebracht" not in stored.body and "Kanaar" not in stored.body  # encrypted
    other = client.post(
        "/api/v1/signalen/",
        {**payload, "omschrijving": "Iets anders gezien."},
        content_type="application/json",
        **headers,
    )
    assert other.status_code == 422
    assert Signaal.objects.count() == 1


def test_records_are_removed_after_a_day(reporter) -> None:
    OnceOnly.objects.create(
        user=reporter,
        token="old-token-0123456789",
        created_at=timezone.now() - datetime.timedelta(days=2),
    )
    OnceOnly.objects.create(user=reporter, token="new-token-0123456789")
    assert onceonly.purge_old() == 1
    assert list(OnceOnly.objects.values_list("token", flat=True)) == ["new-token-0123456789"]
