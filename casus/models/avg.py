"""The AVG lifecycle: tombstones of purged data, legal holds and requests of data subjects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casus.fields import EncryptedTextField
from casus.models.casus import Casus
from casus.models.choices import Bron, Gemeente, InzageStatus, Risico, Sector
from casus.models.signaal import Signaal


class Tombstone(models.Model):
    """What stays of a purged signal or casus: content-free counts for trend statistics.

    No reference, no id of the original, no text, no tokens: only the categories the
    statistics count, at month precision."""

    SOORTEN = [("signaal", _("Signaal")), ("casus", _("Casus"))]

    soort = models.CharField(max_length=10, choices=SOORTEN)
    periode = models.DateField(_("maand van melding of opening"))
    afgesloten_periode = models.DateField(_("maand van afsluiten"), null=True, blank=True)
    bron = models.CharField(max_length=20, choices=Bron.choices, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    gemeente = models.CharField(max_length=30, choices=Gemeente.choices, blank=True)
    risico = models.CharField(max_length=10, choices=Risico.choices, blank=True)
    status = models.CharField(max_length=20, blank=True)
    uitkomst = models.CharField(max_length=30, blank=True)
    indicatoren = models.JSONField(default=list)
    verwijderd_op = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["periode", "id"]
        verbose_name = _("grafsteen")
        verbose_name_plural = _("grafstenen")
        indexes = [models.Index(fields=["soort", "periode"], name="tombstone_soort_periode")]

    def __str__(self) -> str:
        return f"tombstone #{self.pk}"


class LegalHold(models.Model):
    """A hold set by the FG (e.g. a pending procedure): while active, the purge skips the casus
    or signal."""

    casus = models.ForeignKey(
        Casus, on_delete=models.CASCADE, null=True, blank=True, related_name="holds"
    )
    signaal = models.ForeignKey(
        Signaal, on_delete=models.CASCADE, null=True, blank=True, related_name="holds"
    )
    reden = EncryptedTextField(_("reden"))
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    op = models.DateTimeField(default=timezone.now)
    opgeheven_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-op"]
        verbose_name = _("bewaarplicht")
        verbose_name_plural = _("bewaarplichten")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(casus__isnull=False) | models.Q(signaal__isnull=False),
                name="legalhold_on_casus_or_signaal",
            )
        ]

    def __str__(self) -> str:
        return f"bewaarplicht #{self.pk}"


class Inzageverzoek(models.Model):
    """A data subject's request (AVG art. 15-17). The FG registers it and sees that a report was
    made, when, by whom and which categories it covers; the content is for the zorgcoördinator
    who compiles it for the person."""

    ontvangen_op = models.DateField(_("ontvangen op"))
    soort = models.CharField(
        _("soort verzoek"),
        max_length=20,
        choices=[
            ("inzage", _("Inzage (art. 15)")),
            ("rectificatie", _("Rectificatie (art. 16)")),
            ("wissing", _("Wissing (art. 17)")),
        ],
        default="inzage",
    )
    geregistreerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    geregistreerd_op = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=20, choices=InzageStatus.choices, default=InzageStatus.GEREGISTREERD
    )
    samengesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    samengesteld_op = models.DateTimeField(null=True, blank=True)
    categorieen = models.JSONField(
        default=list
    )  # what the report covers, e.g. ["signalen", "casussen"]
    # The signals that matched, only while the request is open (for the PDF); cleared on closing.
    gevonden = EncryptedTextField(blank=True)
    afgerond_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-geregistreerd_op"]
        verbose_name = _("verzoek van een betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")

    def __str__(self) -> str:
        return f"verzoek #{self.pk}"
