"""Signals: the versioned signalenlijst, signals, pseudonym tokens and match hints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casus.fields import EncryptedTextField
from casus.models.casus import Casus
from casus.models.choices import (
    Bron,
    Gemeente,
    MatchUitkomst,
    Sector,
    SignaalStatus,
    Urgentie,
    Zichtbaarheid,
)
from casus.signalen import pseudonym
from partners.models import Partner, Role


class Signalenlijst(models.Model):
    """A version of the list of trafficking indicators; old signals keep their version."""

    versie = models.PositiveIntegerField(_("versie"), unique=True)
    geldig_vanaf = models.DateField(_("geldig vanaf"))
    actief = models.BooleanField(_("actief"), default=False)
    gepubliceerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gepubliceerd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-versie"]
        verbose_name = _("signalenlijst")
        verbose_name_plural = _("signalenlijsten")

    def __str__(self) -> str:
        return f"signalenlijst v{self.versie}"


class Indicator(models.Model):
    lijst = models.ForeignKey(Signalenlijst, on_delete=models.PROTECT, related_name="indicatoren")
    code = models.CharField(_("code"), max_length=40)
    omschrijving = models.CharField(_("omschrijving"), max_length=200)
    volgorde = models.PositiveIntegerField(default=0)
    # The indicator of the previous version this one continues (same code, or renamed): trends
    # compare versions through this link. Empty for an indicator that is new in its version.
    vorige = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="opvolgers"
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["lijst", "volgorde", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lijst", "code"], name="indicator_unique_code_per_list")
        ]

    def __str__(self) -> str:
        return self.code


class Signaal(models.Model):
    """One observation by a partner. Identifying attributes exist here only as tokens."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rol = models.CharField(_("functie"), max_length=20, choices=Role.choices)
    datum_waargenomen = models.DateField(_("datum waargenomen"))
    bron = models.CharField(_("bron"), max_length=20, choices=Bron.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    gemeente = models.CharField(
        _("gemeente"), max_length=30, choices=Gemeente.choices, default=Gemeente.ONBEKEND
    )
    lijst = models.ForeignKey(Signalenlijst, on_delete=models.PROTECT, related_name="+")
    indicatoren = models.ManyToManyField(Indicator, blank=True, related_name="+")
    niet_pluis = models.PositiveSmallIntegerField(_("niet-pluisgevoel"), default=0)
    urgentie = models.CharField(
        _("urgentie"), max_length=10, choices=Urgentie.choices, default=Urgentie.NORMAAL
    )
    omschrijving = EncryptedTextField(_("omschrijving"))
    zichtbaarheid = models.CharField(
        _("zichtbaarheid"), max_length=10, choices=Zichtbaarheid.choices
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SignaalStatus.choices, default=SignaalStatus.NIEUW
    )
    casus = models.ForeignKey(
        Casus, on_delete=models.CASCADE, null=True, blank=True, related_name="signalen"
    )
    triage_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triage_op = models.DateTimeField(null=True, blank=True)
    # When the signal joined its current casus (triage link, opening, or a merge): the
    # herhaalsignaal rule counts from here, not from the report date.
    gekoppeld_op = models.DateTimeField(null=True, blank=True)
    geen_vervolg_reden = EncryptedTextField(_("reden geen vervolg"), blank=True)
    aangemaakt_op = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-aangemaakt_op", "-id"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")

    def __str__(self) -> str:
        return f"signaal #{self.pk}"


class PseudoniemToken(models.Model):
    """A keyed match token of a signal (HMAC-SHA256; the attributes themselves are gone)."""

    signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, related_name="tokens")
    soort = models.CharField(max_length=30)
    sleutelversie = models.PositiveIntegerField()
    token = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("pseudoniem")
        verbose_name_plural = _("pseudoniemen")
        constraints = [
            models.UniqueConstraint(fields=["signaal", "token"], name="token_unique_per_signal")
        ]

    def __str__(self) -> str:
        return f"token #{self.pk}"


class MatchHint(models.Model):
    """Two signals whose tokens coincide: probably the same person. For zorgcoördinatoren only."""

    signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, related_name="match_hints")
    ander_signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, related_name="+")
    soorten = models.JSONField(default=list)  # token kinds that matched, strongest first
    sterkte = models.CharField(max_length=20)
    aangemaakt_op = models.DateTimeField(default=timezone.now)
    afgehandeld_op = models.DateTimeField(null=True, blank=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uitkomst = models.CharField(max_length=10, choices=MatchUitkomst.choices, blank=True)
    # Token kinds of this pair that several different identities share (a network's phone or
    # working name): shown as "gedeeld telefoonnummer", never counted as a person match.
    gedeeld = models.JSONField(default=list)

    class Meta:
        verbose_name = _("mogelijke match")
        verbose_name_plural = _("mogelijke matches")
        ordering = ["-aangemaakt_op", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signaal", "ander_signaal"], name="match_hint_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"matchhint #{self.pk}"

    @property
    def is_person_match(self) -> bool:
        return self.sterkte in pseudonym.PERSON_MATCH_TIERS

    @property
    def sterkte_label(self) -> str:
        return pseudonym.tier_label(self.sterkte)

    @property
    def sterkte_kort(self) -> str:
        return pseudonym.tier_label(self.sterkte, short=True)

    @property
    def kenmerken(self) -> list[str]:
        """What agrees, in words; a network's phone reads as 'gedeeld telefoonnummer'."""
        return pseudonym.kind_labels(self.soorten, self.gedeeld)
