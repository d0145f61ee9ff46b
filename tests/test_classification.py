"""The field classification (config.classification) is complete and honest, and the processing
register built from it answers the FG only."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.apps import apps
from django.test import Client
from django.urls import reverse

import pytest

from audit.models import AuditAction, AuditEvent, Outcome
from casus.fields import EncryptedTextField
from config.kernel import classification as registry
from config.kernel.classification import (
    CLASSIFIED_APPS,
    Category,
    all_classifications,
    classified_models,
    describe_period,
    model_fields,
    unclassified_fields,
)
from partners.models import Role, User
from tests.factories import PartnerFactory, UserFactory

OTHER_ROLES = [
    Role.ZORGCOORDINATOR,
    Role.MEDEWERKER,
    Role.VOORZITTER,
    Role.BEHEERDER,
    Role.ANALIST,
]


# --- the classification --------------------------------------------------------------------


def test_every_field_of_every_model_is_classified() -> None:
    missing = unclassified_fields().missing
    assert not missing, (
        "Fields without a classification (add them to <app>/classification.py with a category, "
        f"purpose and retention): {', '.join(missing)}"
    )


def test_no_classification_names_a_field_that_no_longer_exists() -> None:
    stale = unclassified_fields().stale
    assert not stale, f"Classified fields that do not exist (remove them): {', '.join(stale)}"


def test_the_walk_covers_every_app_model_and_the_inherited_user_fields() -> None:
    labels = {model._meta.label for model in classified_models()}
    assert {model._meta.app_label for model in classified_models()} == set(CLASSIFIED_APPS)
    assert {
        "partners.User",
        "audit.AuditEvent",
        "casus.Casus",
        "casus.CasusGroupObjectPermission",
        "casus.Tombstone",
    } <= labels
    user_fields = {field.name for field in model_fields(apps.get_model("partners.User"))}
    assert {"id", "password", "last_login", "groups", "user_permissions", "partner"} <= user_fields


def test_a_missing_or_stale_entry_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = {label: dict(fields) for label, fields in all_classifications().items()}
    changed["casus.Casus"]["bestaat_niet"] = changed["casus.Casus"].pop("risico")
    monkeypatch.setattr(registry, "all_classifications", lambda: changed)
    gaps = registry.unclassified_fields()
    assert gaps.missing == ["casus.Casus.risico"]
    assert gaps.stale == ["casus.Casus.bestaat_niet"]


def test_every_entry_has_a_purpose_and_a_retention() -> None:
    empty = [
        f"{label}.{name}"
        for label, fields in all_classifications().items()
        for name, info in fields.items()
        if not info.purpose.strip() or not info.retention.strip()
    ]
    assert not empty, f"Entries without a purpose or retention: {', '.join(empty)}"


def test_every_entry_has_a_category() -> None:
    wrong = [
        f"{label}.{name}"
        for label, fields in all_classifications().items()
        for name, info in fields.items()
        if not isinstance(info.category, Category)
    ]
    assert not wrong, wrong


def test_encrypted_free_text_is_special_category_or_criminal_law_data() -> None:
    classification = all_classifications()
    wrong = [
        f"{model._meta.label}.{field.name} ({classification[model._meta.label][field.name].category})"
        for model in classified_models()
        for field in model_fields(model)
        if isinstance(field, EncryptedTextField)
        and classification[model._meta.label][field.name].category
        not in (Category.BIJZONDER, Category.STRAFRECHTELIJK)
    ]
    assert not wrong, f"Encrypted text fields classified too low: {', '.join(wrong)}"


def test_the_key_judgements_hold() -> None:
    """The calls an FG would check first (a change here is a decision, not a refactoring)."""
    classification = all_classifications()

    def category(path: str) -> Category:
        label, name = path.rsplit(".", 1)
        return classification[label][name].category

    for path in (
        "casus.Casus.risico",
        "casus.Casus.sector",
        "casus.Signaal.sector",
        "casus.Signaal.indicatoren",
        "casus.PseudoniemToken.token",
    ):
        assert category(path) == Category.BIJZONDER, path
    assert category("casus.Bijdrage.tekst") == Category.STRAFRECHTELIJK
    assert category("casus.Signaal.omschrijving") == Category.STRAFRECHTELIJK
    for name in model_fields(apps.get_model("casus.Tombstone")):
        assert category(f"casus.Tombstone.{name.name}") == Category.METADATA
    assert category("audit.AuditEvent.actor") == Category.GEWOON
    assert category("audit.AuditEvent.source_address") == Category.GEWOON
    assert category("audit.AuditEvent.hash") == Category.METADATA
    assert category("partners.User.email") == Category.GEWOON


def test_retention_texts_follow_the_settings() -> None:
    classification = all_classifications()
    assert classification["casus.Casus"]["risico"].retention.startswith(
        "24 maanden na afsluiten van de casus"
    )
    assert "6 maanden na triage" in classification["casus.Signaal"]["omschrijving"].retention
    assert classification["audit.AuditEvent"]["actor"].retention.startswith("5 jaar")


@pytest.mark.parametrize(
    ("days", "text"),
    [(183, "6 maanden"), (730, "24 maanden"), (1825, "5 jaar"), (30, "1 maand"), (10, "10 dagen")],
)
def test_describe_period(days: int, text: str) -> None:
    assert describe_period(datetime.timedelta(days=days)) == text


# --- the register page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_register_renders_for_the_fg(mfa_client: Callable[[User], Client]) -> None:
    PartnerFactory.create(name="GGD Testregio", gezondheid=True)
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)
    client = mfa_client(fg)
    response = client.get(reverse("fg:register"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    content = response.content.decode()
    assert "Gemeente Leeuwarden (namens de ketenpartners)" in content
    assert "GGD Testregio" in content  # recipients come from the partners
    # Every model and every classified field is on the page.
    for model in classified_models():
        assert f'<code class="utrecht-code">{model._meta.label}</code>' in content
    assert '<code class="utrecht-code">omschrijving</code>' in content
    register = response.context["register"]
    assert register.total == sum(len(fields) for fields in all_classifications().values())
    counts = {row.category: row.count for row in register.counts}
    assert counts[Category.BIJZONDER] > 0 and counts[Category.STRAFRECHTELIJK] > 0
    assert register.security.encrypted_fields == sum(
        isinstance(field, EncryptedTextField)
        for model in classified_models()
        for field in model_fields(model)
    )
    # Strict CSP: no inline script or style.
    assert not re.search(r"<script(?![^>]*\bsrc=)", content)
    assert not re.search(r"<style|\sstyle=", content)


@pytest.mark.django_db
def test_the_register_names_unclassified_fields(
    mfa_client: Callable[[User], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = {label: dict(fields) for label, fields in all_classifications().items()}
    del changed["casus.Casus"]["risico"]
    monkeypatch.setattr(registry, "all_classifications", lambda: changed)
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)
    content = mfa_client(fg).get(reverse("fg:register")).content.decode()
    assert "1 veld is nog niet geclassificeerd" in content
    assert '<code class="utrecht-code">casus.Casus.risico</code>' in content


@pytest.mark.django_db
def test_the_home_page_links_the_fg_to_the_register(mfa_client: Callable[[User], Client]) -> None:
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)
    content = mfa_client(fg).get(reverse("home")).content.decode()
    assert f'href="{reverse("fg:register")}"' in content


@pytest.mark.django_db
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_gets_404_and_the_attempt_is_recorded(
    role: Role, mfa_client: Callable[[User], Client]
) -> None:
    user = UserFactory.create(role=role, mfa=True)
    client = mfa_client(user)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert client.get(reverse("fg:register")).status_code == 404
    denied = AuditEvent.objects.filter(id__gt=before, action=AuditAction.ACCESS_DENIED)
    assert [(e.outcome, e.object_type, e.object_ref, e.actor_id) for e in denied] == [
        (Outcome.DENIED, "verwerkingsregister", "register", user.pk)
    ]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client: Client) -> None:
    response = client.get(reverse("fg:register"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
