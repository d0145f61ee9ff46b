"""What the reporting partner sees of its own signal (issue 12, side channels): whatever became
of it — linked to a casus, closed as "geen vervolg", still new after triage — it stays on the
partner's list as "In behandeling bij de zorgcoördinator", on the pages and in the API alike,
unless the partner is involved in the casus the signal was linked to; then it sees the real
state and the link. Nobody learns from its own signal that the person is known elsewhere."""

from __future__ import annotations

import datetime
import json
import re

from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditAction
from casus import policy
from casus.casussen import services as casus_services
from casus.models import Casus, Signaal
from casus.signalen import selectors as signaal_selectors
from casus.signalen import services as intake
from partners.models import PartnerKind, User
from tests.audit_records import assert_written_by, audit_record, last_event_id, records_since
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

NEUTRAL = "In behandeling bij de zorgcoördinator"
LINKED = "Gekoppeld aan een casus"


def _submit(actor: User) -> Signaal:
    return intake.signaal_submit(
        actor=actor,
        datum_waargenomen=timezone.localdate() - datetime.timedelta(days=1),
        bron="controle",
        sector="raam",
        omschrijving="Waarneming bij een controle.",
        zichtbaarheid="keten",
        attributes=None,
    )


class Fates:
    """One signal of the reporter for each fate, and the casussen involved."""

    def __init__(self) -> None:
        self.ldh = PartnerFactory.create(kind=PartnerKind.ZORG)
        self.ggd = PartnerFactory.create(kind=PartnerKind.GEZONDHEID)
        self.reporter = UserFactory.create(partner=self.ldh, mfa=True)
        self.colleague = UserFactory.create(partner=self.ldh, mfa=True)
        self.coordinator = CoordinatorFactory.create(mfa=True)
        self.elsewhere: Casus = CasusFactory.create(
            coordinator=self.coordinator, partners=[self.ggd]
        )
        self.own: Casus = CasusFactory.create(
            coordinator=self.coordinator, partners=[self.ldh, self.ggd]
        )
        self.new = _submit(self.reporter)
        self.closed = intake.signaal_close(
            actor=self.coordinator, signaal=_submit(self.reporter), reden="Geen zorgen."
        )
        self.linked_elsewhere = intake.signaal_link(
            actor=self.coordinator, signaal=_submit(self.reporter), casus=self.elsewhere
        )
        self.linked_own = intake.signaal_link(
            actor=self.coordinator, signaal=_submit(self.reporter), casus=self.own
        )

    @property
    def hidden(self) -> list[Signaal]:
        """The signals whose fate the reporter may not learn."""
        return [self.new, self.closed, self.linked_elsewhere]


@pytest.fixture
def fates() -> Fates:
    return Fates()


def _status_cells(html: str) -> dict[int, str]:
    """Signal number -> the text of its status cell on the list page."""
    rows = re.findall(r'href="/signalen/(\d+)/">S\d+</a></th>(.*?)</tr>', html, re.S)
    cells = {}
    for pk, rest in rows:
        tds = re.findall(r'<td class="utrecht-table__cell">(.*?)</td>', rest, re.S)
        cells[int(pk)] = tds[-1].strip()
    return cells


def test_the_reporter_sees_one_neutral_state_unless_involved_in_the_casus(
    fates: Fates, mfa_client
) -> None:
    for user in (fates.reporter, fates.colleague):
        client = mfa_client(user)
        page = client.get(reverse("signalen:list"))
        assert page.status_code == 200
        html = page.content.decode()
        cells = _status_cells(html)
        # Every own signal stays on the list, the one linked elsewhere included.
        assert set(cells) == {s.pk for s in (*fates.hidden, fates.linked_own)}, (
            "a linked signal must not disappear from the reporter's list"
        )
        for signaal in fates.hidden:
            assert cells[signaal.pk] == NEUTRAL
        assert cells[fates.linked_own.pk] == LINKED
        assert fates.elsewhere.referentie not in html

        for signaal in fates.hidden:
            detail = client.get(reverse("signalen:detail", args=[signaal.pk]))
            assert detail.status_code == 200
            text = detail.content.decode()
            assert NEUTRAL in text
            for leak in (LINKED, "Geen vervolg", "Nieuw, nog niet beoordeeld"):
                assert leak not in text
            assert fates.elsewhere.referentie not in text
        own = client.get(reverse("signalen:detail", args=[fates.linked_own.pk])).content.decode()
        assert LINKED in own
        assert reverse("casussen:detail", args=[fates.own.referentie]) in own


def test_the_api_shows_the_same_neutral_state(fates: Fates, mfa_client) -> None:
    client = mfa_client(fates.reporter)
    listed = client.get("/api/v1/signalen/")
    assert listed.status_code == 200
    rows = {row["id"]: row for row in listed.json()["results"]}
    assert set(rows) == {f"S{s.pk}" for s in (*fates.hidden, fates.linked_own)}
    for signaal in fates.hidden:
        row = rows[f"S{signaal.pk}"]
        assert (row["status"], row["casus"]) == (policy.SIGNAAL_IN_BEHANDELING, None)
        detail = client.get(f"/api/v1/signalen/{signaal.pk}/").json()
        assert (detail["status"], detail["casus"]) == (policy.SIGNAAL_IN_BEHANDELING, None)
    own = rows[f"S{fates.linked_own.pk}"]
    assert (own["status"], own["casus"]) == ("gekoppeld", fates.own.referentie)
    assert fates.elsewhere.referentie not in listed.content.decode()
    # The three hidden fates answer alike apart from their own facts.
    shapes = {
        json.dumps({k: v for k, v in rows[f"S{s.pk}"].items() if k not in {"id", "aangemaakt_op"}})
        for s in fates.hidden
    }
    assert len(shapes) == 1


def test_no_status_filter_reveals_the_fate(fates: Fates, mfa_client) -> None:
    """Neither the page nor the API filters on status: a query parameter asking for linked
    signals changes nothing (the list is not narrowed to what was linked)."""
    client = mfa_client(fates.reporter)
    plain = client.get("/api/v1/signalen/").json()["results"]
    for query in ("?status=gekoppeld", "?status=geen_vervolg", "?status=nieuw"):
        assert client.get(f"/api/v1/signalen/{query}").json()["results"] == plain
        page = client.get(reverse("signalen:list") + query).content.decode()
        assert _status_cells(page) == _status_cells(
            client.get(reverse("signalen:list")).content.decode()
        )


def test_the_coordinator_sees_the_real_state(fates: Fates, mfa_client) -> None:
    regels = {
        r.signaal.pk: r
        for r in signaal_selectors.signaal_regels(
            user=fates.coordinator,
            signalen=[fates.new, fates.closed, fates.linked_elsewhere, fates.linked_own],
        )
    }
    assert regels[fates.new.pk].status == "nieuw"
    assert regels[fates.closed.pk].status == "geen_vervolg"
    assert regels[fates.linked_elsewhere.pk].status == "gekoppeld"
    assert regels[fates.linked_elsewhere.pk].casus_zichtbaar
    page = mfa_client(fates.coordinator).get(
        reverse("signalen:detail", args=[fates.linked_elsewhere.pk])
    )
    assert LINKED in page.content.decode()
    assert fates.elsewhere.referentie in page.content.decode()


def test_a_removed_involvement_turns_the_state_neutral_again(fates: Fates) -> None:
    [before] = signaal_selectors.signaal_regels(user=fates.reporter, signalen=[fates.linked_own])
    assert (before.status, before.casus_zichtbaar) == ("gekoppeld", True)
    casus_services.betrokkenheid_remove(actor=fates.coordinator, casus=fates.own, partner=fates.ldh)
    signaal = signaal_selectors.signaal_get_for(user=fates.reporter, pk=fates.linked_own.pk)
    [after] = signaal_selectors.signaal_regels(user=fates.reporter, signalen=[signaal])
    assert (after.status, after.casus_zichtbaar) == (policy.SIGNAAL_IN_BEHANDELING, False)


def test_other_partners_still_do_not_see_the_signal(fates: Fates) -> None:
    """Own signals stay with their partner; for others a linked signal is still like a
    bijdrage on its casus, and an unlinked one is not theirs at all."""
    outsider = UserFactory.create(partner=PartnerFactory.create(kind=PartnerKind.POLITIE))
    assert (
        not policy.visible_signalen(outsider)
        .filter(pk__in=[s.pk for s in (*fates.hidden, fates.linked_own)])
        .exists()
    )
    ggd_user = UserFactory.create(partner=fates.ggd)
    visible = set(policy.visible_signalen(ggd_user).values_list("pk", flat=True))
    assert {fates.linked_elsewhere.pk, fates.linked_own.pk} <= visible
    assert not {fates.new.pk, fates.closed.pk} & visible


def test_the_list_and_detail_record_the_signal_linked_elsewhere(fates: Fates, mfa_client) -> None:
    client = mfa_client(fates.reporter)
    pk = fates.linked_elsewhere.pk

    before = last_event_id()
    response = client.get(reverse("signalen:detail", args=[pk]))
    assert response.status_code == 200
    assert records_since(before) == [
        audit_record(
            AuditAction.SIGNAAL_READ,
            actor=fates.reporter,
            object_type="signaal",
            object_ref=f"S{pk}",
        )
    ]
    assert_written_by(response, before)

    before = last_event_id()
    response = client.get(reverse("signalen:list"))
    shown = [regel.signaal.pk for regel in response.context["regels"]]
    assert pk in shown
    assert records_since(before) == [
        audit_record(
            AuditAction.SIGNAAL_LISTED,
            actor=fates.reporter,
            object_type="signaal",
            object_ref=f"S{s}",
        )
        for s in shown
    ]
    assert_written_by(response, before)


# --- lookups by reference (issue 12: missing and forbidden alike) -------------------------------


def test_linking_by_reference_answers_a_missing_and_an_existing_casus_only_by_outcome(
    fates: Fates, mfa_client
) -> None:
    """The only lookup by reference among the signal pages and API is the coordinator's link,
    and the coordinator sees every casus: a missing reference is a field error and an
    ``access.denied`` event. Anyone else gets the same 404 whether the reference exists or not,
    and the signal is untouched."""
    signaal = _submit(fates.reporter)
    missing = "K-0000-0000"
    client = mfa_client(fates.coordinator)

    before = last_event_id()
    page = client.post(reverse("signalen:link", args=[signaal.pk]), {"referentie": missing})
    assert page.status_code == 400
    assert "Er is geen casus met deze referentie." in page.content.decode()
    denied = audit_record(
        AuditAction.ACCESS_DENIED,
        actor=fates.coordinator,
        outcome="denied",
        object_type="casus",
        object_ref=missing,
    )
    # The page is shown again with the error: a read of the signal.
    assert records_since(before) == [
        denied,
        audit_record(
            AuditAction.SIGNAAL_READ,
            actor=fates.coordinator,
            object_type="signaal",
            object_ref=f"S{signaal.pk}",
        ),
    ]

    before = last_event_id()
    api = client.post(
        f"/api/v1/signalen/{signaal.pk}/koppelen/",
        {"referentie": missing},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json() == {"referentie": ["Er is geen casus met deze referentie."]}
    assert records_since(before) == [denied]

    reporter = mfa_client(fates.reporter)
    answers = set()
    for referentie in (missing, fates.elsewhere.referentie, fates.own.referentie):
        answers.add(
            reporter.post(
                reverse("signalen:link", args=[signaal.pk]), {"referentie": referentie}
            ).status_code
        )
        answers.add(
            reporter.post(
                f"/api/v1/signalen/{signaal.pk}/koppelen/",
                {"referentie": referentie},
                content_type="application/json",
            ).status_code
        )
    assert answers == {404}
    signaal.refresh_from_db()
    assert (signaal.status, signaal.casus_id) == ("nieuw", None)
