"""Four eyes (issue 12): a change that gives an account case content (a new account with, or a
change to, the role zorgcoördinator, medewerker or voorzitter; such a role at another partner;
switching such an account back on) takes effect only when a second, different beheerder approves
it. The requester never approves its own request, nobody decides on a change to their own
account, and the FG gets an audit event and a content-free e-mail at the request and at the
decision. Before: one beheerder gave any account any role at once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

import pytest

from audit.models import AuditAction
from partners import services
from partners.models import PartnerKind, Role, RolWijzigingsverzoek, User, VerzoekStatus
from partners.policy import CONTENT_ROLES, Permission, grants_case_content, has_permission
from tests.audit_records import audit_record, last_event_id, records_since
from tests.casus.factories import CasusFactory
from tests.conftest import TEST_START, login_with_password
from tests.factories import DEFAULT_PASSWORD, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheer() -> User:
    return UserFactory.create(role=Role.BEHEERDER, username="beheer.een", mfa=True)


@pytest.fixture
def tweede() -> User:
    return UserFactory.create(role=Role.BEHEERDER, username="beheer.twee", mfa=True)


@pytest.fixture
def fg() -> User:
    return UserFactory.create(
        role=Role.PRIVACY_OFFICER, username="fg.regio", email="fg@example.nl", mfa=True
    )


def _update(user: User, actor: User | None, **changes: Any) -> User:
    values = {
        "partner": user.partner,
        "role": user.role,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        **changes,
    }
    return services.user_update(user=User.objects.get(pk=user.pk), actor=actor, **values)


def _pending(user: User) -> RolWijzigingsverzoek:
    return RolWijzigingsverzoek.objects.get(user=user, status=VerzoekStatus.PENDING)


def _on_user(actor: User, user: User) -> dict[str, Any]:
    return {"actor": actor, "object_type": "user", "object_ref": str(user.pk)}


# --- the rule ----------------------------------------------------------------------------------


def test_the_content_roles_are_those_that_may_read_case_content() -> None:
    assert {Role.ZORGCOORDINATOR, Role.MEDEWERKER, Role.VOORZITTER} == CONTENT_ROLES


@pytest.mark.parametrize(
    ("before", "after", "grants"),
    [
        (None, (Role.MEDEWERKER, "p", True), True),
        (None, (Role.ANALIST, "p", True), False),
        ((Role.ANALIST, "p", True), (Role.VOORZITTER, "p", True), True),
        ((Role.MEDEWERKER, "p", True), (Role.ZORGCOORDINATOR, "p", True), True),
        ((Role.MEDEWERKER, "p", True), (Role.MEDEWERKER, "q", True), True),
        ((Role.MEDEWERKER, "p", False), (Role.MEDEWERKER, "p", True), True),
        ((Role.MEDEWERKER, "p", True), (Role.ANALIST, "p", True), False),
        ((Role.ANALIST, "p", True), (Role.MEDEWERKER, "p", False), False),
        ((Role.MEDEWERKER, "p", True), (Role.MEDEWERKER, "p", True), False),
    ],
)
def test_which_changes_grant_case_content(before, after, grants) -> None:
    partners = {"p": PartnerFactory.create(), "q": PartnerFactory.create()}
    subject = None
    if before is not None:
        role, partner, active = before
        subject = User(role=role, partner=partners[partner], is_active=active)
    role, partner, active = after
    assert (
        grants_case_content(
            role=role, partner_id=partners[partner].pk, is_active=active, before=subject
        )
        is grants
    )


# --- a new account ------------------------------------------------------------------------------


def test_a_new_account_with_a_content_role_waits_inactive_for_a_second_beheerder(
    beheer, tweede, fg, django_capture_on_commit_callbacks
) -> None:
    partner = PartnerFactory.create()
    before = last_event_id()
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(
            username="nieuwe.coordinator",
            partner=partner,
            role=Role.ZORGCOORDINATOR,
            password=DEFAULT_PASSWORD,
            first_name="Fenna",
            last_name="Veenstra",
            actor=beheer,
        )
    assert user.is_active is False
    assert not has_permission(user, Permission.CASUS_READ_CONTENT)
    assert records_since(before) == [
        audit_record(AuditAction.USER_CREATED, **_on_user(beheer, user)),
        audit_record(AuditAction.USER_ROLE_CHANGE_REQUESTED, **_on_user(beheer, user)),
    ]
    verzoek = _pending(user)
    assert (verzoek.requested_role, verzoek.requested_partner, verzoek.new_account) == (
        Role.ZORGCOORDINATOR,
        partner,
        True,
    )
    assert login_with_password(Client(), user.username).status_code != 302  # inactive

    with django_capture_on_commit_callbacks(execute=True):
        services.role_change_approve(verzoek=verzoek, actor=tweede)
    user.refresh_from_db()
    assert user.is_active is True
    assert has_permission(user, Permission.CASUS_READ_CONTENT)
    assert [m.subject for m in mail.outbox] == [
        "Ketenregie: rolwijziging aangevraagd",
        "Ketenregie: rolwijziging goedgekeurd",
    ]


def test_an_account_made_by_code_needs_no_approval_and_no_password_change() -> None:
    # The demo seed and the test factories create users without an acting beheerder.
    user = services.user_create(
        username="demo.medewerker",
        partner=PartnerFactory.create(),
        role=Role.MEDEWERKER,
        password=DEFAULT_PASSWORD,
    )
    assert user.is_active is True
    assert user.must_change_password is False
    assert not RolWijzigingsverzoek.objects.exists()


def test_a_new_account_without_case_content_is_active_at_once(beheer) -> None:
    user = services.user_create(
        username="nieuwe.analist",
        partner=PartnerFactory.create(),
        role=Role.ANALIST,
        password=DEFAULT_PASSWORD,
        actor=beheer,
    )
    assert user.is_active is True
    assert not RolWijzigingsverzoek.objects.exists()


# --- the second pair of eyes ---------------------------------------------------------------------


def test_the_requester_cannot_approve_its_own_request(beheer) -> None:
    user = UserFactory.create(role=Role.ANALIST)
    _update(user, beheer, role=Role.MEDEWERKER)
    with pytest.raises(ValidationError) as refused:
        services.role_change_approve(verzoek=_pending(user), actor=beheer)
    assert "eigen aanvraag niet goedkeuren" in " ".join(refused.value.messages)
    user.refresh_from_db()
    assert user.role == Role.ANALIST
    assert _pending(user).status == VerzoekStatus.PENDING


def test_nobody_decides_on_a_change_to_their_own_account(beheer, tweede) -> None:
    derde = UserFactory.create(role=Role.BEHEERDER)
    _update(tweede, beheer, role=Role.MEDEWERKER)
    verzoek = _pending(tweede)
    for decide in (services.role_change_approve, services.role_change_reject):
        with pytest.raises(ValidationError) as refused:
            decide(verzoek=verzoek, actor=tweede)
        assert "eigen account" in " ".join(refused.value.messages)
    assert User.objects.get(pk=tweede.pk).role == Role.BEHEERDER
    services.role_change_approve(verzoek=verzoek, actor=derde)
    assert User.objects.get(pk=tweede.pk).role == Role.MEDEWERKER


def test_only_an_active_beheerder_decides(beheer) -> None:
    user = UserFactory.create(role=Role.ANALIST)
    _update(user, beheer, role=Role.MEDEWERKER)
    coordinator = UserFactory.create(role=Role.ZORGCOORDINATOR)
    with pytest.raises(PermissionDenied):
        services.role_change_approve(verzoek=_pending(user), actor=coordinator)
    with pytest.raises(PermissionDenied):
        _update(user, coordinator, role=Role.ZORGCOORDINATOR)


def test_only_a_second_beheerder_makes_the_user_read_case_content(
    beheer, tweede, mfa_client, time_machine
) -> None:
    partner = PartnerFactory.create(kind=PartnerKind.ZORG)
    casus = CasusFactory.create(partners=[partner])
    detail = reverse("casussen:detail", args=[casus.referentie])
    user = UserFactory.create(partner=partner, role=Role.ANALIST, mfa=True)
    client = mfa_client(user)
    assert client.get(detail).status_code == 404

    _update(user, beheer, role=Role.MEDEWERKER)
    assert User.objects.get(pk=user.pk).role == Role.ANALIST
    assert client.get(detail).status_code == 404  # requested is not granted
    with pytest.raises(ValidationError):
        services.role_change_approve(verzoek=_pending(user), actor=beheer)
    assert client.get(detail).status_code == 404

    before = last_event_id()
    services.role_change_approve(verzoek=_pending(user), actor=tweede)
    assert records_since(before) == [
        audit_record(AuditAction.USER_ROLE_CHANGE_APPROVED, **_on_user(tweede, user))
    ]
    # The approval ends the user's session, as a role change does ...
    response = client.get(detail)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # ... and signed in again, the user reads the case.
    time_machine.move_to(TEST_START + datetime.timedelta(seconds=60), tick=True)  # new TOTP window
    assert mfa_client(User.objects.get(pk=user.pk)).get(detail).status_code == 200


def test_approving_a_reactivation_ends_sessions_from_before(beheer, tweede, mfa_client) -> None:
    user = UserFactory.create(role=Role.MEDEWERKER, mfa=True)
    client = mfa_client(user)
    assert client.get(reverse("home")).status_code == 200
    _update(user, beheer, is_active=False)
    _update(user, beheer, is_active=True)  # the same role and partner: still four eyes
    assert User.objects.get(pk=user.pk).is_active is False
    services.role_change_approve(verzoek=_pending(user), actor=tweede)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_rejected_request_changes_nothing_and_tells_the_fg(
    beheer, tweede, fg, django_capture_on_commit_callbacks
) -> None:
    user = UserFactory.create(role=Role.ANALIST)
    _update(user, beheer, role=Role.VOORZITTER)
    before = last_event_id()
    with django_capture_on_commit_callbacks(execute=True):
        services.role_change_reject(verzoek=_pending(user), actor=tweede)
    assert records_since(before) == [
        audit_record(AuditAction.USER_ROLE_CHANGE_REJECTED, **_on_user(tweede, user))
    ]
    assert User.objects.get(pk=user.pk).role == Role.ANALIST
    assert RolWijzigingsverzoek.objects.get(user=user).status == VerzoekStatus.REJECTED
    assert [m.subject for m in mail.outbox] == ["Ketenregie: rolwijziging afgewezen"]
    with pytest.raises(ValidationError):
        services.role_change_approve(verzoek=RolWijzigingsverzoek.objects.get(), actor=tweede)


def test_a_later_change_withdraws_a_waiting_request(beheer) -> None:
    user = UserFactory.create(role=Role.ANALIST)
    _update(user, beheer, role=Role.MEDEWERKER)
    with pytest.raises(ValidationError):  # one request at a time
        _update(user, beheer, role=Role.ZORGCOORDINATOR)
    before = last_event_id()
    services.user_deactivate(user=user, actor=beheer)
    assert records_since(before) == [
        audit_record(AuditAction.USER_DEACTIVATED, **_on_user(beheer, user)),
        audit_record(AuditAction.USER_ROLE_CHANGE_WITHDRAWN, **_on_user(beheer, user)),
    ]
    assert RolWijzigingsverzoek.objects.get(user=user).status == VerzoekStatus.WITHDRAWN


def test_a_change_without_case_content_is_immediate_and_recorded_as_a_role_change(
    beheer,
) -> None:
    user = UserFactory.create(role=Role.MEDEWERKER)
    before = last_event_id()
    _update(user, beheer, role=Role.ANALIST)
    assert User.objects.get(pk=user.pk).role == Role.ANALIST
    assert records_since(before) == [
        audit_record(AuditAction.USER_UPDATED, **_on_user(beheer, user)),
        audit_record(AuditAction.USER_ROLE_CHANGED, **_on_user(beheer, user)),
    ]


# --- the FG's e-mail ---------------------------------------------------------------------------------


def test_the_fg_email_names_nobody(beheer, fg, django_capture_on_commit_callbacks) -> None:
    inactive_fg = UserFactory.create(
        role=Role.PRIVACY_OFFICER, email="oud-fg@example.nl", inactive=True
    )
    user = UserFactory.create(
        role=Role.ANALIST, username="jan.de.vries", first_name="Jan", last_name="de Vries"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _update(user, beheer, role=Role.ZORGCOORDINATOR)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [fg.email]
    assert inactive_fg.email not in message.to
    text = f"{message.subject}\n{message.body}"
    assert "Er is een rolwijziging aangevraagd; zie Ketenregie." in text
    assert "/fg/" in message.body
    for identifier in (
        user.username,
        user.first_name,
        user.last_name,
        str(user.pk),
        beheer.username,
        user.partner.name,
        "zorgco",
        "Zorgco",
    ):
        assert identifier not in text


# --- in /beheer/ -----------------------------------------------------------------------------------


REQUESTS_URL = "/beheer/partners/rolwijzigingsverzoek/"


def _decide(client: Client, verzoek: RolWijzigingsverzoek, action: str):
    return client.post(
        REQUESTS_URL,
        {"action": action, "_selected_action": [verzoek.pk], "index": 0},
        follow=True,
    )


def test_the_admin_creates_an_inactive_account_and_says_it_waits(beheer, mfa_client) -> None:
    partner = PartnerFactory.create()
    client = mfa_client(beheer)
    response = client.post(
        "/beheer/partners/user/add/",
        {
            "username": "nieuw.lid",
            "first_name": "",
            "last_name": "",
            "email": "",
            "partner": partner.pk,
            "role": Role.MEDEWERKER,
            "password": "Een-lang-tijdelijk-wachtwoord-7",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "gaat pas in als een andere functioneel beheerder" in response.content.decode()
    user = User.objects.get(username="nieuw.lid")
    assert (user.is_active, user.must_change_password) == (False, True)
    assert _pending(user).requested_by == beheer


def test_the_admin_lists_requests_and_refuses_a_self_approval(beheer, mfa_client) -> None:
    user = UserFactory.create(role=Role.ANALIST, username="kandidaat")
    _update(user, beheer, role=Role.MEDEWERKER)
    client = mfa_client(beheer)
    page = client.get(REQUESTS_URL)
    assert page.status_code == 200
    assert "kandidaat" in page.content.decode()
    response = _decide(client, _pending(user), "approve")
    assert "eigen aanvraag niet goedkeuren" in response.content.decode()
    assert User.objects.get(pk=user.pk).role == Role.ANALIST


def test_a_second_beheerder_approves_in_the_admin(beheer, tweede, mfa_client) -> None:
    user = UserFactory.create(role=Role.ANALIST)
    _update(user, beheer, role=Role.MEDEWERKER)
    response = _decide(mfa_client(tweede), _pending(user), "approve")
    assert "1 verzoek goedgekeurd." in response.content.decode()
    assert User.objects.get(pk=user.pk).role == Role.MEDEWERKER


def test_the_admin_offers_no_add_edit_or_delete_of_requests(beheer, tweede, mfa_client) -> None:
    user = UserFactory.create(role=Role.ANALIST)
    _update(user, beheer, role=Role.MEDEWERKER)
    verzoek = _pending(user)
    client = mfa_client(tweede)
    assert client.get(f"{REQUESTS_URL}add/").status_code == 404
    page = client.get(f"{REQUESTS_URL}{verzoek.pk}/change/")
    assert page.status_code == 200
    assert 'name="requested_role"' not in page.content.decode()  # read-only
    client.post(
        f"{REQUESTS_URL}{verzoek.pk}/change/",
        {"requested_role": Role.ZORGCOORDINATOR, "status": VerzoekStatus.APPROVED},
    )
    assert client.post(f"{REQUESTS_URL}{verzoek.pk}/delete/", {"post": "yes"}).status_code == 404
    verzoek.refresh_from_db()
    assert (verzoek.requested_role, verzoek.status) == (Role.MEDEWERKER, VerzoekStatus.PENDING)


def test_a_second_request_in_the_admin_is_a_form_error_not_a_crash(beheer, mfa_client) -> None:
    user = UserFactory.create(role=Role.ANALIST)
    _update(user, beheer, role=Role.MEDEWERKER)
    client = mfa_client(beheer)
    response = client.post(
        f"/beheer/partners/user/{user.pk}/change/",
        {
            "first_name": "",
            "last_name": "",
            "email": "",
            "partner": user.partner_id,
            "role": Role.ZORGCOORDINATOR,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "wacht al een wijziging op goedkeuring" in response.content.decode()


def test_nothing_about_the_request_leaks_into_the_fg_mail_subject_for_any_role(
    beheer, fg, django_capture_on_commit_callbacks
) -> None:
    for role in sorted(CONTENT_ROLES):
        user = UserFactory.create(role=Role.ANALIST)
        with django_capture_on_commit_callbacks(execute=True):
            _update(user, beheer, role=role)
    assert {m.subject for m in mail.outbox} == {"Ketenregie: rolwijziging aangevraagd"}
