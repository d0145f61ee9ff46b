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
    must_change_password = models.BooleanField(
        _("moet wachtwoord wijzigen"),
        default=False,
        help_text=_(
            "Een account dat de beheerder aanmaakt of waarvan de beheerder het wachtwoord "
            "instelt, kiest bij de volgende aanmelding eerst een eigen wachtwoord."
        ),
    )
    # Raised when a second beheerder approves access to case content: sessions signed in
    # before that no longer match (partners.middleware), like after a role change.
    access_version = models.PositiveIntegerField(_("toegangsversie"), default=0, editable=False)

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


class VerzoekStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    APPROVED = "approved", _("Goedgekeurd")
    REJECTED = "rejected", _("Afgewezen")
    WITHDRAWN = "withdrawn", _("Vervallen")


class RolWijzigingsverzoek(models.Model):
    """A change that grants case content, waiting for a second beheerder (four eyes).

    Until it is approved the user keeps its former role and partner (a new account stays
    inactive). The requester never approves its own request, and nobody decides on a change to
    their own account (partners.services)."""

    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="rolwijzigingsverzoeken",
        verbose_name=_("gebruiker"),
    )
    requested_role = models.CharField(_("gevraagde functie"), max_length=20, choices=Role.choices)
    requested_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gevraagde ketenpartner"),
    )
    new_account = models.BooleanField(_("nieuw account"), default=False)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangevraagd door")
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VerzoekStatus.choices, default=VerzoekStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("beoordeeld door"),
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("rolwijzigingsverzoek")
        verbose_name_plural = _("rolwijzigingsverzoeken")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="partners_one_pending_request_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.get_requested_role_display()}"
