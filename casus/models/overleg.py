"""The ketenoverleg: series, meetings, attendance and agenda items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casus.fields import EncryptedTextField
from casus.models.casus import Casus
from casus.models.choices import (
    AgendapuntSoort,
    DeelnemerStatus,
    GeneratieStatus,
    OverlegStatus,
    Risico,
)
from partners.models import Partner


class OverlegSerie(models.Model):
    """A recurring ketenoverleg, e.g. 'Ketenoverleg mensenhandel Leeuwarden', every 4 weeks."""

    naam = models.CharField(_("naam"), max_length=120, unique=True)
    interval_weken = models.PositiveSmallIntegerField(_("elke zoveel weken"), default=4)
    plaats = models.CharField(_("vaste plaats"), max_length=120, blank=True)
    voorzitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorzitter"),
    )
    partners = models.ManyToManyField(
        Partner, related_name="+", verbose_name=_("uitgenodigde partners")
    )
    # The standing roster: the persons invited to every meeting of the series (copied onto a
    # meeting's own roster when it is planned).
    leden = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("vaste deelnemers")
    )
    agenda_werkdagen = models.PositiveSmallIntegerField(
        _("agenda zoveel werkdagen vooraf"), default=5
    )
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["naam"]
        verbose_name = _("overlegreeks")
        verbose_name_plural = _("overlegreeksen")

    def __str__(self) -> str:
        return self.naam


class Overleg(models.Model):
    serie = models.ForeignKey(OverlegSerie, on_delete=models.PROTECT, related_name="overleggen")
    datum = models.DateTimeField(_("datum en tijd"), db_index=True)
    plaats = models.CharField(_("plaats"), max_length=120)
    voorzitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorzitter"),
    )
    status = models.CharField(
        _("status"), max_length=25, choices=OverlegStatus.choices, default=OverlegStatus.GEPLAND
    )
    agenda_gegenereerd_op = models.DateTimeField(null=True, blank=True)
    agenda_vastgesteld_op = models.DateTimeField(null=True, blank=True)
    verslag_vastgesteld_op = models.DateTimeField(null=True, blank=True)
    # Progress of the background agenda generation, shown on the meeting page.
    generatie_status = models.CharField(
        max_length=10, choices=GeneratieStatus.choices, default=GeneratieStatus.GEEN, blank=True
    )
    generatie_gestart_op = models.DateTimeField(null=True, blank=True)
    geannuleerd_op = models.DateTimeField(null=True, blank=True)
    annuleringsreden = EncryptedTextField(_("reden van annuleren"), blank=True)

    class Meta:
        ordering = ["-datum"]
        verbose_name = _("ketenoverleg")
        verbose_name_plural = _("ketenoverleggen")

    def __str__(self) -> str:
        return f"overleg #{self.pk}"


class Aanwezigheid(models.Model):
    overleg = models.ForeignKey(Overleg, on_delete=models.CASCADE, related_name="aanwezigheid")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    aanwezig = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheden")
        constraints = [
            models.UniqueConstraint(
                fields=["overleg", "partner"], name="aanwezigheid_unique_partner"
            )
        ]

    def __str__(self) -> str:
        return f"aanwezigheid #{self.pk}"


class Deelnemer(models.Model):
    """One person on a meeting's roster: invited, then present, absent or excused. A present
    attendee confirms the confidentiality statement at the start of the meeting."""

    overleg = models.ForeignKey(Overleg, on_delete=models.CASCADE, related_name="deelnemers")
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("aanwezigheid"),
        max_length=12,
        choices=DeelnemerStatus.choices,
        default=DeelnemerStatus.UITGENODIGD,
    )
    vertrouwelijkheid_bevestigd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["partner__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["overleg", "gebruiker"], name="deelnemer_unique_person")
        ]

    def __str__(self) -> str:
        return f"deelnemer #{self.pk}"


class Agendapunt(models.Model):
    """An item on a meeting's agenda. Generated items list every reason that applies; the
    chair's edits (added, removed, reordered) survive regeneration of the concept."""

    overleg = models.ForeignKey(Overleg, on_delete=models.CASCADE, related_name="agendapunten")
    soort = models.CharField(max_length=12, choices=AgendapuntSoort.choices)
    casus = models.ForeignKey(
        Casus, on_delete=models.CASCADE, null=True, blank=True, related_name="agendapunten"
    )
    volgorde = models.PositiveIntegerField(default=0)
    redenen = models.JSONField(default=list)  # Reden codes, priority order
    handmatig_toegevoegd = models.BooleanField(default=False)
    verwijderd = models.BooleanField(
        default=False
    )  # removed by the chair: stays out on regeneration
    volgorde_handmatig = models.BooleanField(default=False)
    risico_bij_agendering = models.CharField(max_length=10, choices=Risico.choices, blank=True)
    besluit = EncryptedTextField(_("besluit"), blank=True)
    besproken_op = models.DateTimeField(null=True, blank=True)
    risico_bij_bespreking = models.CharField(max_length=10, choices=Risico.choices, blank=True)

    class Meta:
        ordering = ["overleg", "volgorde", "id"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        constraints = [
            models.UniqueConstraint(
                fields=["overleg", "casus"],
                condition=models.Q(casus__isnull=False),
                name="agendapunt_one_per_casus",
            ),
            models.UniqueConstraint(
                fields=["overleg", "soort"],
                condition=~models.Q(soort="casus"),
                name="agendapunt_one_fixed_section",
            ),
        ]
        indexes = [models.Index(fields=["casus", "besproken_op"], name="agendapunt_besproken")]

    def __str__(self) -> str:
        return f"agendapunt #{self.pk}"
