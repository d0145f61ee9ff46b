"""Writes for partners and users. Group membership always follows the user's partner."""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partners import events
from partners.models import Partner, PartnerKind, Role, User

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
    user = User(
        username=username,
        partner=partner,
        role=Role(role),
        first_name=first_name,
        last_name=last_name,
        email=email,
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
    user = User.objects.select_for_update().get(pk=user.pk)
    own_change = {
        field: message
        for field, changed, message in (
            ("role", user.role != Role(role), _("U kunt uw eigen functie niet wijzigen.")),
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
    user.partner = partner
    user.role = Role(role)
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.is_active = is_active
    user.save(update_fields=["partner", "role", "first_name", "last_name", "email", "is_active"])
    _sync_partner_group(user)
    events.record(action="user.updated", actor=actor, object_type="user", object_ref=str(user.pk))
    logger.info("user.updated user_id=%s partner_id=%s role=%s", user.pk, partner.pk, user.role)
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """Deactivation takes effect on the user's next request (the middleware checks is_active)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = False
    user.save(update_fields=["is_active"])
    events.record(
        action="user.deactivated", actor=actor, object_type="user", object_ref=str(user.pk)
    )
    logger.info("user.deactivated user_id=%s", user.pk)
    return user
