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
from partners.models import Partner, Role

TEXT_MAX_LENGTH = 5000
SHORT_TEXT_MAX_LENGTH = 500


class Status(models.TextChoices):
    NIEUW = "nieuw", _("Nieuw")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    MONITOREN = "monitoren", _("Monitoren")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


# The workflow: which status may follow which. Reopening a closed casus is allowed.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NIEUW: frozenset({Status.IN_BEHANDELING, Status.AFGESLOTEN}),
    Status.IN_BEHANDELING: frozenset({Status.MONITOREN, Status.AFGESLOTEN}),
    Status.MONITOREN: frozenset({Status.IN_BEHANDELING, Status.AFGESLOTEN}),
    Status.AFGESLOTEN: frozenset({Status.IN_BEHANDELING}),
}


class Risico(models.TextChoices):
    ACUUT = "acuut", _("Acuut")
    HOOG = "hoog", _("Hoog")
    MIDDEN = "midden", _("Midden")
    LAAG = "laag", _("Laag")


RISICO_RANK = {Risico.ACUUT: 0, Risico.HOOG: 1, Risico.MIDDEN: 2, Risico.LAAG: 3}


class Grondslag(models.TextChoices):
    TOESTEMMING = "toestemming", _("Toestemming (AVG art. 6 lid 1a / art. 9 lid 2a)")
    VITAAL_BELANG = "vitaal_belang", _("Vitaal belang (AVG art. 6 lid 1d / art. 9 lid 2c)")
    WETTELIJKE_TAAK = "wettelijke_taak", _("Wettelijke taak (AVG art. 6 lid 1e)")
    WPG = "wpg", _("Wet politiegegevens")
    OVERIG = "overig", _("Overig (met toelichting)")


class Sector(models.TextChoices):
    RAAM = "raam", _("Raamprostitutie")
    CLUB = "club", _("Club of privéhuis")
    MASSAGESALON = "massagesalon", _("Massagesalon")
    ESCORT = "escort", _("Escort")
    THUISWERK = "thuiswerk", _("Thuiswerk")
    HOTEL = "hotel", _("Hotel")
    ONLINE = "online", _("Online")
    ONBEKEND = "onbekend", _("Onbekend")


class Gemeente(models.TextChoices):
    """Municipalities of the region (Fryslân), a closed list: a free-text field could carry
    content; a choice cannot. Trend statistics count per municipality."""

    ACHTKARSPELEN = "achtkarspelen", "Achtkarspelen"
    AMELAND = "ameland", "Ameland"
    DANTUMADIEL = "dantumadiel", "Dantumadiel"
    DE_FRYSKE_MARREN = "de_fryske_marren", "De Fryske Marren"
    HARLINGEN = "harlingen", "Harlingen"
    HEERENVEEN = "heerenveen", "Heerenveen"
    LEEUWARDEN = "leeuwarden", "Leeuwarden"
    NOARDEAST_FRYSLAN = "noardeast_fryslan", "Noardeast-Fryslân"
    OOSTSTELLINGWERF = "ooststellingwerf", "Ooststellingwerf"
    OPSTERLAND = "opsterland", "Opsterland"
    SCHIERMONNIKOOG = "schiermonnikoog", "Schiermonnikoog"
    SMALLINGERLAND = "smallingerland", "Smallingerland"
    SUDWEST_FRYSLAN = "sudwest_fryslan", "Súdwest-Fryslân"
    TERSCHELLING = "terschelling", "Terschelling"
    TYTSJERKSTERADIEL = "tytsjerksteradiel", "Tytsjerksteradiel"
    VLIELAND = "vlieland", "Vlieland"
    WAADHOEKE = "waadhoeke", "Waadhoeke"
    WESTSTELLINGWERF = "weststellingwerf", "Weststellingwerf"
    BUITEN_REGIO = "buiten_regio", _("Buiten Fryslân")
    ONBEKEND = "onbekend", _("Onbekend")


class Zichtbaarheid(models.TextChoices):
    KETEN = "keten", _("Keten: alle betrokken partners")
    REGIE = "regie", _("Regie: eigen organisatie en zorgcoördinatoren")
    INTERN = "intern", _("Intern: alleen eigen organisatie")


class Categorie(models.TextChoices):
    ZORG = "zorg", _("Zorg")
    GEZONDHEID = "gezondheid", _("Gezondheid")
    VEILIGHEID = "veiligheid", _("Veiligheid")
    HANDHAVING = "handhaving", _("Handhaving")
    ALGEMEEN = "algemeen", _("Algemeen")


class Uitkomst(models.TextChoices):
    OPEN = "open", _("Open")
    UITGEVOERD = "uitgevoerd", _("Uitgevoerd")
    NIET_MOGELIJK = "niet_mogelijk", _("Niet mogelijk (omstandigheden veranderd)")
    NIET_UITGEVOERD = "niet_uitgevoerd", _("Niet uitgevoerd")
    VERVALLEN = "vervallen", _("Vervallen")


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
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["-geopend_op", "-id"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        permissions = []  # view_casus (default) is granted per partner group on involvement

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


# --- Signalen ------------------------------------------------------------------------------------


class Bron(models.TextChoices):
    CONTROLE = "controle", _("Controle")
    SPREEKUUR = "spreekuur", _("Spreekuur of steunpunt")
    HULPVERLENING = "hulpverlening", _("Hulpverlening")
    MELDING_DERDE = "melding_derde", _("Melding van een derde")
    POLITIE_INFORMATIE = "politie_informatie", _("Politie-informatie")
    INSCHRIJVING = "inschrijving", _("Inschrijving")
    OVERIG = "overig", _("Overig")


class Urgentie(models.TextChoices):
    NORMAAL = "normaal", _("Normaal")
    HOOG = "hoog", _("Hoog: binnen een week oppakken")
    ACUUT = "acuut", _("Acuut: direct gevaar")


class SignaalStatus(models.TextChoices):
    NIEUW = "nieuw", _("Nieuw, nog niet beoordeeld")
    GEKOPPELD = "gekoppeld", _("Gekoppeld aan een casus")
    GEEN_VERVOLG = "geen_vervolg", _("Geen vervolg")


class Signalenlijst(models.Model):
    """A version of the list of trafficking indicators; old signals keep their version."""

    versie = models.PositiveIntegerField(_("versie"), unique=True)
    geldig_vanaf = models.DateField(_("geldig vanaf"))
    actief = models.BooleanField(_("actief"), default=False)

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


# --- Ketenoverleg --------------------------------------------------------------------------------


class OverlegStatus(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    AGENDA_CONCEPT = "agenda_concept", _("Concept-agenda")
    AGENDA_DEFINITIEF = "agenda_definitief", _("Agenda vastgesteld")
    GEHOUDEN = "gehouden", _("Gehouden")
    VERSLAG_VASTGESTELD = "verslag_vastgesteld", _("Verslag vastgesteld")


OVERLEG_TRANSITIONS: dict[str, frozenset[str]] = {
    OverlegStatus.GEPLAND: frozenset({OverlegStatus.AGENDA_CONCEPT}),
    OverlegStatus.AGENDA_CONCEPT: frozenset({OverlegStatus.AGENDA_DEFINITIEF}),
    OverlegStatus.AGENDA_DEFINITIEF: frozenset({OverlegStatus.GEHOUDEN}),
    OverlegStatus.GEHOUDEN: frozenset({OverlegStatus.VERSLAG_VASTGESTELD}),
    OverlegStatus.VERSLAG_VASTGESTELD: frozenset(),
}


class Reden(models.TextChoices):
    """Why a casus is on the agenda (PRODUCT.md §7), in priority order."""

    NIEUW = "nieuw", _("Nieuw sinds het vorige overleg")
    HERHAALSIGNAAL = "herhaalsignaal", _("Nieuw signaal binnen twaalf maanden na bespreking")
    AFSPRAAK_VERLOPEN = "afspraak_verlopen", _("Afspraak over de uiterste datum")
    RISICO_VERHOOGD = "risico_verhoogd", _("Risico verhoogd sinds de laatste bespreking")
    GEAGENDEERD = "geagendeerd", _("Geagendeerd door een betrokken partner")
    MATCH = "match", _("Mogelijke match met een andere casus")
    PERIODIEKE_REVIEW = "periodieke_review", _("Twaalf weken of langer niet besproken")
    VOORSTEL_AFSLUITEN = "voorstel_afsluiten", _("Voorstel om af te sluiten")


REDEN_PRIORITEIT = {reden: index for index, reden in enumerate(Reden.values)}


class AgendapuntSoort(models.TextChoices):
    OPENING = "opening", _("Opening en verslag vorig overleg")
    CASUS = "casus", _("Casus")
    TRENDS = "trends", _("Trends")
    RONDVRAAG = "rondvraag", _("Rondvraag")


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
    generatie_status = models.CharField(max_length=10, default="", blank=True)
    generatie_gestart_op = models.DateTimeField(null=True, blank=True)

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


# --- AVG lifecycle -------------------------------------------------------------------------------


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


class InzageStatus(models.TextChoices):
    GEREGISTREERD = "geregistreerd", _("Geregistreerd door de FG")
    SAMENGESTELD = "samengesteld", _("Rapport samengesteld")
    AFGEROND = "afgerond", _("Afgerond")


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
