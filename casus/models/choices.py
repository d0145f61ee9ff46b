"""The closed lists of the casus domain (statuses, risk, legal basis, sector, municipality,
visibility, outcomes) and the length limits of free text."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 5000


SHORT_TEXT_MAX_LENGTH = 500


class Status(models.TextChoices):
    NIEUW = "nieuw", _("Nieuw")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    MONITOREN = "monitoren", _("Monitoren")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


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


class CasusUitkomst(models.TextChoices):
    """How a closed casus ended (issue 11): a closed list the trends count."""

    HULP_AANVAARD = "hulp_aanvaard", _("Hulp aanvaard")
    UITSTAP = "uitstap", _("Uitstap uit de prostitutie")
    VERTROKKEN_ONBEKEND = "vertrokken_onbekend", _("Vertrokken, verblijfplaats onbekend")
    OVERGEDRAGEN_ANDERE_REGIO = "overgedragen_andere_regio", _("Overgedragen aan een andere regio")
    STRAFRECHTELIJK_TRAJECT = "strafrechtelijk_traject", _("Strafrechtelijk traject")
    GEEN_ZORGEN_MEER = "geen_zorgen_meer", _("Geen zorgen meer")
    TOESTEMMING_INGETROKKEN = "toestemming_ingetrokken", _("Toestemming ingetrokken")
    SAMENGEVOEGD = "samengevoegd", _("Samengevoegd met een andere casus")
    OVERIG = "overig", _("Overig")


# Outcomes a person closing a casus may choose; the others are set by their own action (a
# merge, a withdrawal of consent).
CHOSEN_OUTCOMES = frozenset(CasusUitkomst.values) - {
    CasusUitkomst.SAMENGEVOEGD,
    CasusUitkomst.TOESTEMMING_INGETROKKEN,
}


class MatchUitkomst(models.TextChoices):
    """The coordinator's verdict on a match hint: it leaves the agenda either way; a rejected
    pair of casussen never returns as a hint."""

    OPEN = "", _("Nog niet beoordeeld")
    BEVESTIGD = "bevestigd", _("Bevestigd: dezelfde persoon")
    AFGEWEZEN = "afgewezen", _("Afgewezen: niet dezelfde persoon")


class DeelnemerStatus(models.TextChoices):
    """A person on a meeting's roster."""

    UITGENODIGD = "uitgenodigd", _("Uitgenodigd")
    AANWEZIG = "aanwezig", _("Aanwezig")
    AFWEZIG = "afwezig", _("Afwezig")
    AFGEMELD = "afgemeld", _("Afgemeld")


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


class OverlegStatus(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    AGENDA_CONCEPT = "agenda_concept", _("Concept-agenda")
    AGENDA_DEFINITIEF = "agenda_definitief", _("Agenda vastgesteld")
    GEHOUDEN = "gehouden", _("Gehouden")
    VERSLAG_VASTGESTELD = "verslag_vastgesteld", _("Verslag vastgesteld")
    GEANNULEERD = "geannuleerd", _("Geannuleerd")


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


class InzageStatus(models.TextChoices):
    GEREGISTREERD = "geregistreerd", _("Geregistreerd door de FG")
    SAMENGESTELD = "samengesteld", _("Rapport samengesteld")
    AFGEROND = "afgerond", _("Afgerond")


class GeneratieStatus(models.TextChoices):
    """Progress of a meeting's agenda generation (a background job)."""

    GEEN = "", _("Nog niet gegenereerd")
    WACHT = "wacht", _("In de wachtrij")
    BEZIG = "bezig", _("Bezig")
    KLAAR = "klaar", _("Klaar")
    MISLUKT = "mislukt", _("Mislukt")
