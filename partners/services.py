"""Writes for partners and users. Group membership always follows the user's partner."""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.kernel import outbox
from partners import events
from partners.models import (
    Partner,
    PartnerKind,
    Role,
    RolWijzigingsverzoek,
    User,
    VerzoekStatus,
)
from partners.policy import Permission, grants_case_content, has_permission

logger = logging.getLogger(__name__)


def _partner_group_name(name: str) -> str:
    return f"partner:{slugify(name)}"


@transaction.atomic
def partner_create(*, name: str, kind: PartnerKind | str, actor: User | None = None) -> Partner:
    group = Group.objects.create(name=_partner_group_name(name))
    partner = Partner.objects.create(name=name, kind=PartnerKind(kind), group=group)
    events.record(
        action="partner.created", actor=actor, object_type="partner", object_ref=str(partner.pk)
    )
    logger.info("partner.created partner_id=%s", partner.pk)
    return partner


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    name: str,
    kind: PartnerKind | str,
    is_active: bool,
    actor: User | None = None,
) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    partner.name = name
    partner.kind = PartnerKind(kind)
    partner.is_active = is_active
    partner.save(update_fields=["name", "kind", "is_active"])
    partner.group.name = _partner_group_name(name)
    partner.group.save(update_fields=["name"])
    events.record(
        action="partner.updated", actor=actor, object_type="partner", object_ref=str(partner.pk)
    )
    logger.info("partner.updated partner_id=%s", partner.pk)
    return partner


def _sync_partner_group(user: User) -> None:
    """A user is in exactly one partner group: the group of their own partner."""
    partner_groups = Group.objects.filter(partner__isnull=False)
    user.groups.remove(*partner_groups.exclude(pk=user.partner.group_id))
    user.groups.add(user.partner.group)


@transaction.atomic
def user_create(
    *,
    username: str,
    partner: Partner,
    role: Role | str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    """A new account. Made by a beheerder (``actor``), it chooses its own password at the first
    sign-in, and an account with a content role stays inactive until a second beheerder
    approves it. Made by code (``actor=None``: the demo seed, tests, a management shell) it is
    ready at once."""
    _require_administrator(actor)
    role = Role(role)
    needs_approval = actor is not None and grants_case_content(
        role=role, partner_id=partner.pk, is_active=True, before=None
    )
    user = User(
        username=username,
        partner=partner,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_active=not needs_approval,
        must_change_password=actor is not None,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _sync_partner_group(user)
    events.record(action="user.created", actor=actor, object_type="user", object_ref=str(user.pk))
    logger.info("user.created user_id=%s partner_id=%s role=%s", user.pk, partner.pk, user.role)
    if actor is not None and needs_approval:
        _request_content_change(user=user, role=role, partner=partner, actor=actor, new=True)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    partner: Partner,
    role: Role | str,
    first_name: str,
    last_name: str,
    email: str,
    is_active: bool,
    actor: User | None = None,
) -> User:
    """Names and e-mail change at once. A change of role, partner or active state that gives the
    account case content becomes a request for a second beheerder (``role_change_approve``);
    any other change of them takes effect at once and ends a request still waiting."""
    _require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    role = Role(role)
    access_changed, needs_approval = _check_update(
        user=user, partner=partner, role=role, is_active=is_active, actor=actor
    )
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    if actor is not None and needs_approval:
        user.save(update_fields=["first_name", "last_name", "email"])
        events.record(
            action="user.updated", actor=actor, object_type="user", object_ref=str(user.pk)
        )
        _request_content_change(user=user, role=role, partner=partner, actor=actor, new=False)
        return user
    role_changed = user.role != role or user.partner_id != partner.pk
    user.partner = partner
    user.role = role
    user.is_active = is_active
    user.save(update_fields=["partner", "role", "first_name", "last_name", "email", "is_active"])
    _sync_partner_group(user)
    events.record(action="user.updated", actor=actor, object_type="user", object_ref=str(user.pk))
    if role_changed:
        events.record(
            action="user.role_changed", actor=actor, object_type="user", object_ref=str(user.pk)
        )
    if access_changed:
        _withdraw_pending(user=user, actor=actor)
    logger.info("user.updated user_id=%s partner_id=%s role=%s", user.pk, partner.pk, user.role)
    return user


def user_update_check(
    *, user: User, partner: Partner, role: Role | str, is_active: bool, actor: User | None
) -> None:
    """Raises the ValidationError ``user_update`` would raise for this change, so that a form
    can show it next to the fields before anything is saved."""
    _check_update(
        user=User.objects.get(pk=user.pk),
        partner=partner,
        role=Role(role),
        is_active=is_active,
        actor=actor,
    )


def _check_update(
    *, user: User, partner: Partner, role: Role, is_active: bool, actor: User | None
) -> tuple[bool, bool]:
    """(whether role, partner or active state change; whether that needs a second beheerder)."""
    own_change = {
        field: message
        for field, changed, message in (
            ("role", user.role != role, _("U kunt uw eigen functie niet wijzigen.")),
            (
                "partner",
                user.partner_id != partner.pk,
                _("U kunt uw eigen organisatie niet wijzigen."),
            ),
            ("is_active", user.is_active != is_active, _("U kunt uzelf niet (de)activeren.")),
        )
        if changed
    }
    if actor is not None and actor.pk == user.pk and own_change:
        # Separation of duties: whoever administers accounts never grants itself anything.
        raise ValidationError(
            {
                field: [message, _("Een andere functioneel beheerder moet dit doen.")]
                for field, message in own_change.items()
            }
        )
    access_changed = bool(own_change)
    needs_approval = (
        actor is not None
        and access_changed
        and grants_case_content(role=role, partner_id=partner.pk, is_active=is_active, before=user)
    )
    # One request per user at a time (a database constraint too).
    pending = RolWijzigingsverzoek.objects.filter(user=user, status=VerzoekStatus.PENDING)
    if needs_approval and pending.exists():
        raise ValidationError(
            {
                "role": _(
                    "Voor deze gebruiker wacht al een wijziging op goedkeuring. Laat die eerst "
                    "goedkeuren of afwijzen."
                )
            }
        )
    return access_changed, needs_approval


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """Deactivation takes effect on the user's next request (the middleware checks is_active)."""
    _require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = False
    user.save(update_fields=["is_active"])
    events.record(
        action="user.deactivated", actor=actor, object_type="user", object_ref=str(user.pk)
    )
    _withdraw_pending(user=user, actor=actor)
    logger.info("user.deactivated user_id=%s", user.pk)
    return user


# --- four eyes: access to case content needs a second beheerder --------------------------------


def _require_administrator(actor: User | None) -> None:
    """A change made by a person is made by an active beheerder (``None``: made by code)."""
    if actor is not None and not has_permission(actor, Permission.USERS_ADMINISTER):
        raise PermissionDenied


def _pending_request(user: User) -> RolWijzigingsverzoek | None:
    return (
        RolWijzigingsverzoek.objects.select_for_update()
        .filter(user=user, status=VerzoekStatus.PENDING)
        .first()
    )


def _request_content_change(
    *, user: User, role: Role, partner: Partner, actor: User, new: bool
) -> RolWijzigingsverzoek:
    verzoek = RolWijzigingsverzoek.objects.create(
        user=user,
        requested_role=role,
        requested_partner=partner,
        new_account=new,
        requested_by=actor,
    )
    events.record(
        action="user.role_change_requested",
        actor=actor,
        object_type="user",
        object_ref=str(user.pk),
    )
    _notify_privacy_officers(NOTICE_REQUESTED)
    logger.info("user.role_change_requested user_id=%s request_id=%s", user.pk, verzoek.pk)
    return verzoek


def _withdraw_pending(*, user: User, actor: User | None) -> None:
    """A later change of role, partner or active state overrides a request still waiting."""
    verzoek = _pending_request(user)
    if verzoek is None:
        return
    verzoek.status = VerzoekStatus.WITHDRAWN
    verzoek.decided_by = actor
    verzoek.decided_at = timezone.now()
    verzoek.save(update_fields=["status", "decided_by", "decided_at"])
    events.record(
        action="user.role_change_withdrawn",
        actor=actor,
        object_type="user",
        object_ref=str(user.pk),
    )
    logger.info("user.role_change_withdrawn user_id=%s request_id=%s", user.pk, verzoek.pk)


def _open_for_decision(verzoek: RolWijzigingsverzoek, actor: User) -> RolWijzigingsverzoek:
    _require_administrator(actor)
    verzoek = RolWijzigingsverzoek.objects.select_for_update().get(pk=verzoek.pk)
    if verzoek.status != VerzoekStatus.PENDING:
        raise ValidationError(_("Dit verzoek is al beoordeeld of vervallen."))
    if verzoek.user_id == actor.pk:
        raise ValidationError(
            _(
                "U kunt geen wijziging van uw eigen account beoordelen. Een andere functioneel "
                "beheerder moet dit doen."
            )
        )
    return verzoek


@transaction.atomic
def role_change_approve(*, verzoek: RolWijzigingsverzoek, actor: User) -> User:
    """The second pair of eyes: the requested role and partner take effect (a new account is
    switched on). The user's sessions end, as after a role change."""
    verzoek = _open_for_decision(verzoek, actor)
    if verzoek.requested_by_id == actor.pk:
        raise ValidationError(
            _(
                "U kunt uw eigen aanvraag niet goedkeuren. Een andere functioneel beheerder "
                "moet dit doen."
            )
        )
    user = User.objects.select_for_update().get(pk=verzoek.user_id)
    user.role = Role(verzoek.requested_role)
    user.partner = verzoek.requested_partner
    user.is_active = True
    user.access_version = F("access_version") + 1
    user.save(update_fields=["role", "partner", "is_active", "access_version"])
    user.refresh_from_db()
    _sync_partner_group(user)
    _decided(verzoek, actor, VerzoekStatus.APPROVED, "user.role_change_approved", NOTICE_APPROVED)
    return user


@transaction.atomic
def role_change_reject(*, verzoek: RolWijzigingsverzoek, actor: User) -> RolWijzigingsverzoek:
    """The change does not happen (a new account stays inactive). The requester may withdraw
    its own request this way; nobody decides on a change to their own account."""
    verzoek = _open_for_decision(verzoek, actor)
    _decided(verzoek, actor, VerzoekStatus.REJECTED, "user.role_change_rejected", NOTICE_REJECTED)
    return verzoek


def _decided(
    verzoek: RolWijzigingsverzoek, actor: User, status: str, action: str, notice: str
) -> None:
    """Record the decision on the request: its status, the audit event, the FG's notice."""
    verzoek.status = status
    verzoek.decided_by = actor
    verzoek.decided_at = timezone.now()
    verzoek.save(update_fields=["status", "decided_by", "decided_at"])
    events.record(action=action, actor=actor, object_type="user", object_ref=str(verzoek.user_id))
    _notify_privacy_officers(notice)
    logger.info("%s user_id=%s request_id=%s", action, verzoek.user_id, verzoek.pk)


NOTICE_REQUESTED = "requested"
NOTICE_APPROVED = "approved"
NOTICE_REJECTED = "rejected"


def _notify_privacy_officers(notice: str) -> None:
    """A content-free e-mail to the FG, sent by the job outbox after the commit
    (partners.tasks)."""
    outbox.enqueue("partners.notify_privacy_officers", notice)


# --- passwords --------------------------------------------------------------------------------


@transaction.atomic
def user_password_reset(*, user: User, password: str, actor: User) -> User:
    """A beheerder sets a temporary password: the user chooses a new one at the next sign-in.
    The user's sessions end (Django ties a session to the password hash)."""
    _require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor.pk == user.pk:
        raise ValidationError(
            {"new_password": _("Wijzig uw eigen wachtwoord via 'Wachtwoord wijzigen'.")}
        )
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    events.record(
        action="user.password_reset", actor=actor, object_type="user", object_ref=str(user.pk)
    )
    logger.info("user.password_reset user_id=%s", user.pk)
    return user


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """The user chose a new password itself (the allauth change page): a forced change is done."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    events.record(
        action="auth.password_changed", actor=user, object_type="user", object_ref=str(user.pk)
    )
    logger.info("auth.password_changed user_id=%s", user.pk)
    return user
