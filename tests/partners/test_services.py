"""partners.services: partners and users, with group membership that follows the partner."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from partners import services
from partners.models import Partner, PartnerKind, Role, User
from tests.factories import DEFAULT_PASSWORD, PartnerFactory, UserFactory


def _partner_groups(user: User) -> list[Group]:
    return list(user.groups.filter(partner__isnull=False))


class TestPartnerCreate:
    def test_creates_one_group_per_partner(self):
        partner = services.partner_create(name="GGD Fryslân", kind=PartnerKind.GEZONDHEID)

        partner.refresh_from_db()
        assert partner.kind == PartnerKind.GEZONDHEID
        assert partner.is_active is True
        assert partner.group.name == "partner:ggd-fryslan"
        assert Group.objects.get(partner=partner) == partner.group

    def test_str_is_the_organisation_name_only(self):
        assert str(PartnerFactory.create(name="Fier")) == "Fier"

    def test_rejects_an_unknown_kind(self):
        with pytest.raises(ValueError):
            services.partner_create(name="Onbekend", kind="sekte")
        assert not Partner.objects.filter(name="Onbekend").exists()

    def test_a_duplicate_name_leaves_nothing_half_saved(self):
        services.partner_create(name="Fier", kind=PartnerKind.ZORG)
        with pytest.raises(IntegrityError):
            services.partner_create(name="Fier", kind=PartnerKind.ZORG)
        assert Group.objects.filter(name="partner:fier").count() == 1


class TestPartnerUpdate:
    def test_renames_the_group_with_the_partner(self):
        partner = PartnerFactory.create(name="Gemeente Leeuwarden", gemeente=True)

        services.partner_update(
            partner=partner,
            name="Gemeente Smallingerland",
            kind=PartnerKind.GEMEENTE,
            is_active=False,
        )

        partner.refresh_from_db()
        assert partner.name == "Gemeente Smallingerland"
        assert partner.is_active is False
        assert partner.group.name == "partner:gemeente-smallingerland"


class TestUserCreate:
    def test_puts_the_user_in_exactly_its_partners_group(self):
        partner = PartnerFactory.create()
        PartnerFactory.create()  # another partner's group must not be touched

        user = services.user_create(
            username="medewerker.x",
            partner=partner,
            role=Role.MEDEWERKER,
            password=DEFAULT_PASSWORD,
        )

        assert _partner_groups(user) == [partner.group]
        assert user.check_password(DEFAULT_PASSWORD)
        assert user.is_superuser is False
        assert user.is_staff is False

    def test_without_password_the_password_is_unusable(self):
        user = services.user_create(
            username="zonder", partner=PartnerFactory.create(), role=Role.ANALIST
        )
        assert not user.has_usable_password()

    def test_invalid_role_is_refused(self):
        with pytest.raises(ValueError):
            services.user_create(username="x", partner=PartnerFactory.create(), role="superheld")
        assert not User.objects.filter(username="x").exists()

    def test_invalid_username_is_refused_and_nothing_is_saved(self):
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(
                username="met spatie!", partner=PartnerFactory.create(), role=Role.MEDEWERKER
            )
        assert "username" in excinfo.value.message_dict
        assert not User.objects.filter(username="met spatie!").exists()

    def test_superusers_are_impossible(self):
        user = UserFactory.create()
        user.is_superuser = True
        with pytest.raises(IntegrityError), transaction.atomic():
            user.save(update_fields=["is_superuser"])

    def test_str_is_the_username_only(self):
        user = UserFactory.create(username="jan.jansen", first_name="Jan", last_name="Jansen")
        assert str(user) == "jan.jansen"


class TestUserUpdate:
    def test_changing_partner_moves_the_group_membership(self):
        old, new = PartnerFactory.create(), PartnerFactory.create()
        user = UserFactory.create(partner=old)
        other_group = Group.objects.create(name="niet-partnergebonden")
        user.groups.add(other_group)

        updated = services.user_update(
            user=user,
            partner=new,
            role=Role.VOORZITTER,
            first_name="Anne",
            last_name="de Vries",
            email="anne@example.nl",
            is_active=True,
        )

        updated.refresh_from_db()
        assert updated.partner == new
        assert updated.role == Role.VOORZITTER
        assert _partner_groups(updated) == [new.group]
        assert other_group in updated.groups.all()  # non-partner groups are left alone
        assert not old.group.user_set.filter(pk=user.pk).exists()

    def test_every_user_is_in_exactly_one_partner_group(self):
        partners = [PartnerFactory.create() for _ in range(3)]
        users = [UserFactory.create(partner=partners[i % 3]) for i in range(6)]
        services.user_update(
            user=users[0],
            partner=partners[2],
            role=Role.MEDEWERKER,
            first_name="",
            last_name="",
            email="",
            is_active=True,
        )
        for user in User.objects.all():
            assert _partner_groups(user) == [user.partner.group], user.username

    def test_a_user_who_drifted_into_a_foreign_partner_group_is_repaired(self):
        own, foreign = PartnerFactory.create(), PartnerFactory.create()
        user = UserFactory.create(partner=own)
        user.groups.add(foreign.group)

        services.user_update(
            user=user,
            partner=own,
            role=user.role,
            first_name="",
            last_name="",
            email="",
            is_active=True,
        )

        assert _partner_groups(user) == [own.group]


class TestUserDeactivate:
    def test_sets_inactive_and_keeps_the_account(self):
        user = UserFactory.create()
        services.user_deactivate(user=user)
        user.refresh_from_db()
        assert user.is_active is False
        assert _partner_groups(user) == [user.partner.group]


class TestFactories:
    def test_factory_users_are_deterministic_and_go_through_the_services(self):
        first, second = UserFactory.create(), UserFactory.create()
        assert first.username != second.username
        assert _partner_groups(first) == [first.partner.group]

    def test_traits(self):
        assert PartnerFactory.create(politie=True).kind == PartnerKind.POLITIE
        assert PartnerFactory.create(inactive=True).is_active is False
        assert UserFactory.create(inactive=True).is_active is False
        assert UserFactory.create(role=Role.BEHEERDER).role == Role.BEHEERDER
        from allauth.mfa.models import Authenticator

        user = UserFactory.create(mfa=True)
        assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
            Authenticator.Type.TOTP,
            Authenticator.Type.RECOVERY_CODES,
        }
