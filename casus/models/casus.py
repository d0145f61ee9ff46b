"""Casus coordination: casussen, partner involvement, bijdragen and afspraken.

Free text is encrypted at rest (EncryptedTextField). ``__str__`` never shows text or personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guardian.models import GroupObjectPermissionBase

from casus.fields import EncryptedTextField
from casus.models.choices import (
    CasusUitkomst,
    Categorie,
    Gemeente,
    Grondslag,
    Risico,
    Sector,
    Status,
    Uitkomst,
    Zichtbaarheid,
)
from partners.models import Partner, Role


class ReferentieTeller(models.Model):
    """The last casus number issued per year (K-2026-0001, K-2026-0002, …)."""

    jaar = models.PositiveIntegerField(primary_key=True)
    laatste = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("referentieteller")
        verbose_name_plural = _("referentietellers")

    def __str__(self) -> str:
        return f"{self.jaar}: {self.laatste}"


class Casus(models.Model):
    referentie = models.CharField(_("referentie"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NIEUW
    )
    risico = models.CharField(_("risico"), max_length=10, choices=Risico.choices)
    grondslag = models.CharField(_("grondslag"), max_length=20, choices=Grondslag.choices)
    grondslag_toelichting = EncryptedTextField(_("toelichting op de grondslag"), blank=True)
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.ONBEKEND
    )
    gemeente = models.CharField(
        _("gemeente"), max_length=30, choices=Gemeente.choices, default=Gemeente.ONBEKEND
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zorgcoördinator"),
    )
    veilig_om_te_bellen = models.BooleanField(_("veilig om te bellen"), default=False)
    tolk_nodig = models.BooleanField(_("tolk nodig"), default=False)
    geopend_op = models.DateTimeField(_("geopend op"), default=timezone.now)
    afgesloten_op = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    risico_gewijzigd_op = models.DateTimeField(_("risico gewijzigd op"), default=timezone.now)
    toestemming_ingetrokken_op = models.DateTimeField(
        _("toestemming ingetrokken op"), null=True, blank=True
    )
    afsluiten_voorgesteld_op = models.DateTimeField(
        _("afsluiten voorgesteld op"), null=True, blank=True
    )
    # How a closed casus ended (a closed list the trends count); empty while open.
    uitkomst = models.CharField(
        _("uitkomst"), max_length=30, choices=CasusUitkomst.choices, blank=True
    )
    # A casus merged into another stays as a closed shell that points to where it went.
    samengevoegd_in = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="samengevoegd_uit",
        verbose_name=_("samengevoegd in"),
    )
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["-geopend_op", "-id"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        permissions = []  # view_casus (default) is granted per partner group on involvement
        # The list's order, and its keyset pages (casus.casussen.selectors.casus_page).
        indexes = [models.Index(fields=["-geopend_op", "-id"], name="casus_geopend_id")]

    def __str__(self) -> str:
        return self.referentie


class CasusGroupObjectPermission(GroupObjectPermissionBase):
    """django-guardian's direct-foreign-key table: a partner group's rights on one casus."""

    content_object = models.ForeignKey(Casus, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("toegangsrecht van een partner")
        verbose_name_plural = _("toegangsrechten van partners")
        abstract = False


class Betrokkenheid(models.Model):
    """A partner's involvement in a casus; while active it grants the partner access."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="betrokkenheden")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    reden = EncryptedTextField(_("reden"))
    grondslag = models.CharField(_("grondslag"), max_length=20, choices=Grondslag.choices)
    grondslag_toelichting = EncryptedTextField(_("toelichting op de grondslag"), blank=True)
    toegevoegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    toegevoegd_op = models.DateTimeField(default=timezone.now)
    beeindigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    beeindigd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["toegevoegd_op", "id"]
        verbose_name = _("betrokkenheid")
        verbose_name_plural = _("betrokkenheden")
        constraints = [
            models.UniqueConstraint(
                fields=["casus", "partner"],
                condition=models.Q(beeindigd_op__isnull=True),
                name="casus_one_active_involvement_per_partner",
            )
        ]

    def __str__(self) -> str:
        return f"betrokkenheid #{self.pk}"

    @property
    def actief(self) -> bool:
        return self.beeindigd_op is None


class Bijdrage(models.Model):
    """A partner's contribution, written in its own role, with a visibility level."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="bijdragen")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    rol = models.CharField(_("functie"), max_length=20, choices=Role.choices)
    categorie = models.CharField(_("categorie"), max_length=20, choices=Categorie.choices)
    zichtbaarheid = models.CharField(
        _("zichtbaarheid"), max_length=10, choices=Zichtbaarheid.choices
    )
    tekst = EncryptedTextField(_("tekst"))
    aangemaakt_op = models.DateTimeField(default=timezone.now)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["aangemaakt_op", "id"]
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")

    def __str__(self) -> str:
        return f"bijdrage #{self.pk}"


class Afspraak(models.Model):
    """An agreed action for one partner, followed up until it has an outcome."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="afspraken")
    omschrijving = EncryptedTextField(_("omschrijving"))
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner")
    )
    deadline = models.DateField(_("uiterste datum"))
    uitkomst = models.CharField(
        _("uitkomst"), max_length=20, choices=Uitkomst.choices, default=Uitkomst.OPEN
    )
    uitkomst_toelichting = EncryptedTextField(_("toelichting op de uitkomst"), blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(default=timezone.now)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: an update names the version it was based on.
    versie = models.PositiveIntegerField(default=1)
    overleg = models.ForeignKey(
        "Overleg", on_delete=models.SET_NULL, null=True, blank=True, related_name="afspraken"
    )
    # The meeting in which the chair recorded the outcome (a carried-over afspraak): the
    # minutes of that meeting list it.
    uitkomst_overleg = models.ForeignKey(
        "Overleg", on_delete=models.SET_NULL, null=True, blank=True, related_name="uitkomsten"
    )
    uitkomst_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")

    def __str__(self) -> str:
        return f"afspraak #{self.pk}"


class StatusWijziging(models.Model):
    """The history of a casus's status, shown in its timeline."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="statuswijzigingen")
    van = models.CharField(max_length=20, choices=Status.choices, blank=True)
    naar = models.CharField(max_length=20, choices=Status.choices)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    op = models.DateTimeField(default=timezone.now)
    toelichting = EncryptedTextField(blank=True)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["op", "id"]

    def __str__(self) -> str:
        return f"statuswijziging #{self.pk}"


class RisicoWijziging(models.Model):
    """The history of a casus's risk level, each change with its reason (feeds
    ``risico_verhoogd`` on the agenda)."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="risicowijzigingen")
    van = models.CharField(max_length=10, choices=Risico.choices)
    naar = models.CharField(max_length=10, choices=Risico.choices)
    reden = EncryptedTextField(_("reden"))
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("risicowijziging")
        verbose_name_plural = _("risicowijzigingen")
        ordering = ["op", "id"]

    def __str__(self) -> str:
        return f"risicowijziging #{self.pk}"


class Samenvoeging(models.Model):
    """One casus merged into another by the coordinator: what moved (ids of signals,
    bijdragen, afspraken, agenda requests and involvements; no content), so that an unmerge
    can move exactly that back."""

    bron = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="+")
    doel = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="samenvoegingen")
    verplaatst = models.JSONField(default=dict)
    reden = EncryptedTextField(_("reden"))
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    op = models.DateTimeField(default=timezone.now)
    ongedaan_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ongedaan_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("samenvoeging")
        verbose_name_plural = _("samenvoegingen")
        ordering = ["op", "id"]

    def __str__(self) -> str:
        return f"samenvoeging #{self.pk}"


class Agendering(models.Model):
    """An involved partner's request to discuss the casus in the next ketenoverleg."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="agenderingen")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reden = EncryptedTextField(_("reden"))
    aangevraagd_op = models.DateTimeField(default=timezone.now)
    afgehandeld_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenderingsverzoek")
        verbose_name_plural = _("agenderingsverzoeken")
        ordering = ["aangevraagd_op", "id"]

    def __str__(self) -> str:
        return f"agendering #{self.pk}"
