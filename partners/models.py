"""Partner organisations and their users: every user belongs to exactly one partner and has one role."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    ZORG = "zorg", _("Zorg")
    GEZONDHEID = "gezondheid", _("Gezondheid")
    POLITIE = "politie", _("Politie")
    GEMEENTE = "gemeente", _("Gemeente")
    OVERIG = "overig", _("Overig")


class Role(models.TextChoices):
    ZORGCOORDINATOR = "zorgcoordinator", _("Zorgcoördinator mensenhandel")
    MEDEWERKER = "medewerker", _("Medewerker")
    VOORZITTER = "voorzitter", _("Voorzitter ketenoverleg")
    PRIVACY_OFFICER = "privacy_officer", _("Functionaris gegevensbescherming")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    ANALIST = "analist", _("Beleidsadviseur")


class Partner(models.Model):
    """A chain-partner organisation. Its users share one permission group (django-guardian)."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=PartnerKind.choices)
    group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        related_name="partner",
        editable=False,
        verbose_name=_("rechtengroep"),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ketenpartner")
        verbose_name_plural = _("ketenpartners")

    def __str__(self) -> str:
        return self.name


class KetenregieUserManager(UserManager["User"]):
    def get_queryset(self) -> models.QuerySet[User]:
        return super().get_queryset().select_related("partner")


class User(AbstractUser):
    """A professional at one partner, with exactly one role (PRODUCT.md §3).

    Superuser status is never used: the Django admin is for the `beheerder` role only.
    """

    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("ketenpartner"),
    )
    role = models.CharField(_("functie"), max_length=20, choices=Role.choices)

    objects: ClassVar[KetenregieUserManager] = KetenregieUserManager()

    REQUIRED_FIELDS = ["partner", "role"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=False),
                name="partners_user_no_superuser",
            ),
        ]

    def __str__(self) -> str:
        return self.username
