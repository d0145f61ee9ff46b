"""Field classification of the casus app for the processing register (config.classification).

Every casus and signal is about one (pseudonymised) person who may be a victim of human
trafficking in the sex industry, so the whole context is sensitive. Per field the category says
what the field itself reveals:

- bijzonder (AVG art. 9): sex work or sexual life (sector, risk, indicators), health (GGD
  involvement, the "gezondheid" category), the pseudonym tokens, and free text;
- strafrechtelijk (AVG art. 10): free text that routinely describes (suspected) offences, e.g.
  exploiters or a police investigation. A field has one category, so where both apply the
  stricter regime is chosen: art. 10 data may only be processed under the control of official
  authority or with a specific legal basis (UAVG art. 31-33), also by private partners;
- gewoon: other data about the person (dates, status, municipality, the case reference) and
  about the professionals who acted;
- metadata: technical bookkeeping, meeting logistics, organisation data, content-free counts.

Retention follows the purge (casus.retention) and the settings it reads.
"""

from __future__ import annotations

from django.conf import settings

from config.kernel.classification import Category, Classification, FieldInfo, describe_period

BIJZONDER = Category.BIJZONDER
STRAFRECHTELIJK = Category.STRAFRECHTELIJK
GEWOON = Category.GEWOON
METADATA = Category.METADATA

CASUS_TERM = describe_period(settings.RETENTION_CASUS_AFGESLOTEN)
SIGNAAL_TERM = describe_period(settings.RETENTION_SIGNAAL_GEEN_VERVOLG)

CASUS_RETENTION = (
    f"{CASUS_TERM} na afsluiten van de casus; na ingetrokken toestemming bij de volgende "
    "verwijderronde; niet zolang een bewaarplicht loopt"
)
SIGNAAL_RETENTION = (
    f"Geen vervolg: {SIGNAAL_TERM} na triage; gekoppeld aan een casus: met de casus "
    f"({CASUS_TERM} na afsluiten); nog niet beoordeeld: tot de triage"
)
AGENDAPUNT_RETENTION = (
    f"Casuspunten: met de casus ({CASUS_TERM} na afsluiten); vaste rubrieken: zolang het "
    "overleg bestaat"
)
INZAGE_RETENTION = "Geen termijn vastgesteld; de gevonden signalen worden bij afronden gewist"
HOLD_RETENTION = "Met de casus of het signaal waarop de bewaarplicht rust"
MEETING_RETENTION = "Zolang het overleg bestaat; geen termijn vastgesteld"
LIST_RETENTION = "Onbeperkt: oude signalen houden hun versie van de lijst"
TOMBSTONE_RETENTION = "Onbeperkt: geen persoonsgegevens, nodig voor de trendstatistiek"
COUNTER_RETENTION = "Onbeperkt: één teller per jaar"

CASUS_BASIS = "De grondslag van de casus (toestemming, vitaal belang, wettelijke taak of Wpg)"
SIGNAAL_BASIS = "Niet per signaal vastgelegd; na koppeling geldt de grondslag van de casus"
STAFF_BASIS = "AVG art. 6 lid 1e (verantwoording: wie deed wat in de casus)"


def _casus(category: Category, purpose: str) -> FieldInfo:
    return FieldInfo(
        category, purpose, CASUS_RETENTION, "" if category == METADATA else CASUS_BASIS
    )


def _casus_staff(purpose: str) -> FieldInfo:
    """Who (which professional) did something in a casus: kept as long as the casus."""
    return FieldInfo(GEWOON, purpose, CASUS_RETENTION, STAFF_BASIS)


def _agendapunt(category: Category, purpose: str) -> FieldInfo:
    return FieldInfo(
        category, purpose, AGENDAPUNT_RETENTION, "" if category == METADATA else CASUS_BASIS
    )


def _signaal(category: Category, purpose: str) -> FieldInfo:
    return FieldInfo(
        category, purpose, SIGNAAL_RETENTION, "" if category == METADATA else SIGNAAL_BASIS
    )


def _signaal_staff(purpose: str) -> FieldInfo:
    return FieldInfo(GEWOON, purpose, SIGNAAL_RETENTION, STAFF_BASIS)


def _meeting(purpose: str, category: Category = METADATA) -> FieldInfo:
    return FieldInfo(
        category, purpose, MEETING_RETENTION, STAFF_BASIS if category == GEWOON else ""
    )


def _list(purpose: str) -> FieldInfo:
    return FieldInfo(METADATA, purpose, LIST_RETENTION)


def _tombstone(purpose: str) -> FieldInfo:
    return FieldInfo(METADATA, purpose, TOMBSTONE_RETENTION)


def _inzage(category: Category, purpose: str) -> FieldInfo:
    basis = "AVG art. 6 lid 1c en art. 12 (verplichting om verzoeken van betrokkenen te behandelen)"
    return FieldInfo(category, purpose, INZAGE_RETENTION, "" if category == METADATA else basis)


def _hold(category: Category, purpose: str) -> FieldInfo:
    basis = "AVG art. 17 lid 3e (instelling, uitoefening of onderbouwing van een rechtsvordering)"
    return FieldInfo(category, purpose, HOLD_RETENTION, "" if category == METADATA else basis)


ID = "Technisch volgnummer"
CHANGED = "Technisch: laatste wijziging van de rij"
LINK_CASUS = "Koppeling aan de casus (de gepseudonimiseerde persoon)"
LINK_SIGNAAL = "Koppeling aan het signaal (de gepseudonimiseerde persoon)"
PARTNER_REVEALS = "; bij een casus onthult de partner het soort hulp of optreden (GGD: gezondheid)"
ROLE_AT_THE_TIME = "De functie van de schrijver op het moment zelf"
ENCRYPTED_TEXT = "Vrije tekst, versleuteld opgeslagen en gecontroleerd op directe identificatoren"

CLASSIFICATION: Classification = {
    "casus.ReferentieTeller": {
        "jaar": FieldInfo(METADATA, "Jaar van de casusnummering", COUNTER_RETENTION),
        "laatste": FieldInfo(METADATA, "Laatst uitgegeven casusnummer", COUNTER_RETENTION),
    },
    "casus.Casus": {
        "id": _casus(METADATA, ID),
        "referentie": _casus(
            GEWOON,
            "Gepseudonimiseerde casusreferentie (K-jaar-nummer); verbindt alle gegevens over "
            "één persoon en staat ook in het auditlog",
        ),
        "status": _casus(GEWOON, "Voortgang van de casus; bepaalt de bewaartermijn"),
        "risico": _casus(
            BIJZONDER,
            "Risiconiveau van uitbuiting in de seksbranche; onthult seksleven en "
            "slachtofferschap; bepaalt de volgorde op de agenda",
        ),
        "grondslag": _casus(GEWOON, "Grondslag voor de verwerking en het delen in de keten"),
        "grondslag_toelichting": _casus(
            BIJZONDER,
            f"{ENCRYPTED_TEXT}; toelichting op de grondslag 'overig' (kan omstandigheden "
            "van de persoon noemen)",
        ),
        "sector": _casus(
            BIJZONDER, "Sector van het sekswerk (raam, escort, ...): onthult sekswerk"
        ),
        "gemeente": _casus(GEWOON, "Gemeente (op gemeenteniveau) voor regie en statistiek"),
        "coordinator": _casus_staff("De zorgcoördinator die de casus regisseert"),
        "veilig_om_te_bellen": _casus(
            GEWOON,
            "Of de persoon veilig gebeld kan worden (gevoelig: kan op controle door een "
            "uitbuiter wijzen)",
        ),
        "tolk_nodig": _casus(
            GEWOON, "Of een tolk nodig is (zegt iets over taal, niet over afkomst)"
        ),
        "geopend_op": _casus(GEWOON, "Wanneer de casus is geopend (agenda, statistiek)"),
        "afgesloten_op": _casus(GEWOON, "Wanneer de casus is afgesloten: begin bewaartermijn"),
        "risico_gewijzigd_op": _casus(GEWOON, "Wanneer het risico wijzigde (agenderingsregel)"),
        "toestemming_ingetrokken_op": _casus(
            GEWOON,
            "Wanneer de persoon de toestemming introk; leidt tot afsluiten en verwijderen",
        ),
        "afsluiten_voorgesteld_op": _casus(GEWOON, "Voorstel om af te sluiten (agenderingsregel)"),
        "uitkomst": _casus(
            BIJZONDER,
            "Hoe de casus eindigde (hulp aanvaard, uitstap, strafrechtelijk traject, ...): "
            "onthult slachtofferschap; gesloten lijst voor de statistiek",
        ),
        "samengevoegd_in": _casus(
            GEWOON, "De casus waarin deze is samengevoegd (dezelfde persoon)"
        ),
        "gewijzigd_op": _casus(METADATA, CHANGED),
    },
    "casus.CasusGroupObjectPermission": {
        "id": _casus(METADATA, ID),
        "permission": _casus(METADATA, "Welk recht (inzien van de casus)"),
        "group": _casus(
            BIJZONDER, f"De rechtengroep van de partner die toegang heeft{PARTNER_REVEALS}"
        ),
        "content_object": _casus(GEWOON, LINK_CASUS),
    },
    "casus.Betrokkenheid": {
        "id": _casus(METADATA, ID),
        "casus": _casus(GEWOON, LINK_CASUS),
        "partner": _casus(BIJZONDER, f"De betrokken partner; geeft toegang{PARTNER_REVEALS}"),
        "reden": _casus(
            BIJZONDER, f"{ENCRYPTED_TEXT}; waarom de partner betrokken is (noodzakelijkheid)"
        ),
        "grondslag": _casus(GEWOON, "Grondslag voor het delen met deze partner"),
        "grondslag_toelichting": _casus(
            BIJZONDER,
            f"{ENCRYPTED_TEXT}; toelichting op de grondslag 'overig' voor deze partner",
        ),
        "toegevoegd_door": _casus_staff("Wie de partner betrok"),
        "toegevoegd_op": _casus(GEWOON, "Sinds wanneer de partner toegang heeft"),
        "beeindigd_door": _casus_staff("Wie de betrokkenheid beëindigde"),
        "beeindigd_op": _casus(GEWOON, "Tot wanneer de partner toegang had"),
    },
    "casus.Bijdrage": {
        "id": _casus(METADATA, ID),
        "casus": _casus(GEWOON, LINK_CASUS),
        "auteur": _casus_staff("Wie de bijdrage schreef"),
        "partner": _casus(BIJZONDER, f"De organisatie van de schrijver{PARTNER_REVEALS}"),
        "rol": _casus_staff(ROLE_AT_THE_TIME),
        "categorie": _casus(
            BIJZONDER,
            "Soort bijdrage (zorg, gezondheid, veiligheid, ...): kan gezondheid onthullen",
        ),
        "zichtbaarheid": _casus(METADATA, "Wie de bijdrage mag zien (keten, regie, intern)"),
        "tekst": _casus(
            STRAFRECHTELIJK,
            f"{ENCRYPTED_TEXT}. Bevat bijzondere gegevens (sekswerk, gezondheid); bijdragen "
            "van politie en handhaving bevatten (verdenkingen van) strafbare feiten, dus het "
            "strengere regime van art. 10",
        ),
        "aangemaakt_op": _casus(GEWOON, "Wanneer de bijdrage is geschreven"),
        "gewijzigd_op": _casus(METADATA, CHANGED),
    },
    "casus.Afspraak": {
        "id": _casus(METADATA, ID),
        "casus": _casus(GEWOON, LINK_CASUS),
        "omschrijving": _casus(
            BIJZONDER, f"{ENCRYPTED_TEXT}; de afgesproken actie (bijv. zorg, huisvesting)"
        ),
        "partner": _casus(BIJZONDER, f"De partner die de actie uitvoert{PARTNER_REVEALS}"),
        "deadline": _casus(GEWOON, "Uiterste datum; verlopen afspraken komen op de agenda"),
        "uitkomst": _casus(GEWOON, "Uitkomst van de afspraak"),
        "uitkomst_toelichting": _casus(
            BIJZONDER, f"{ENCRYPTED_TEXT}; waarom de afspraak zo afliep"
        ),
        "aangemaakt_door": _casus_staff("Wie de afspraak vastlegde"),
        "aangemaakt_op": _casus(GEWOON, "Wanneer de afspraak is gemaakt"),
        "gewijzigd_op": _casus(METADATA, CHANGED),
        "versie": _casus(METADATA, "Technisch: voorkomt dat gelijktijdige wijzigingen botsen"),
        "overleg": _casus(METADATA, "Het ketenoverleg waarin de afspraak is gemaakt"),
        "uitkomst_overleg": _casus(
            METADATA, "Het ketenoverleg waarin de uitkomst is vastgelegd (verslag)"
        ),
        "uitkomst_op": _casus(GEWOON, "Wanneer de uitkomst is vastgelegd"),
    },
    "casus.StatusWijziging": {
        "id": _casus(METADATA, ID),
        "casus": _casus(GEWOON, LINK_CASUS),
        "van": _casus(GEWOON, "Vorige status (tijdlijn van de casus)"),
        "naar": _casus(GEWOON, "Nieuwe status (tijdlijn van de casus)"),
        "door": _casus_staff("Wie de status wijzigde"),
        "op": _casus(GEWOON, "Wanneer de status wijzigde"),
        "toelichting": _casus(BIJZONDER, f"{ENCRYPTED_TEXT}; waarom de status wijzigde"),
    },
    "casus.RisicoWijziging": {
        "id": _casus(METADATA, ID),
        "casus": _casus(GEWOON, LINK_CASUS),
        "van": _casus(BIJZONDER, "Vorig risiconiveau: onthult seksleven en slachtofferschap"),
        "naar": _casus(BIJZONDER, "Nieuw risiconiveau: onthult seksleven en slachtofferschap"),
        "reden": _casus(BIJZONDER, f"{ENCRYPTED_TEXT}; waarom het risico wijzigde"),
        "door": _casus_staff("Wie het risico wijzigde"),
        "op": _casus(GEWOON, "Wanneer het risico wijzigde (agenderingsregel)"),
    },
    "casus.Samenvoeging": {
        "id": _casus(METADATA, ID),
        "bron": _casus(GEWOON, "De casus die is opgegaan in een andere"),
        "doel": _casus(GEWOON, "De casus waarin is samengevoegd"),
        "verplaatst": _casus(
            METADATA, "Nummers van de verplaatste signalen, bijdragen en afspraken (geen inhoud)"
        ),
        "reden": _casus(BIJZONDER, f"{ENCRYPTED_TEXT}; waarom het dezelfde persoon is"),
        "door": _casus_staff("Welke zorgcoördinator samenvoegde"),
        "op": _casus(GEWOON, "Wanneer samengevoegd"),
        "ongedaan_door": _casus_staff("Wie de samenvoeging ongedaan maakte"),
        "ongedaan_op": _casus(GEWOON, "Wanneer de samenvoeging ongedaan is gemaakt"),
    },
    "casus.Agendering": {
        "id": _casus(METADATA, ID),
        "casus": _casus(GEWOON, LINK_CASUS),
        "partner": _casus(BIJZONDER, f"De partner die bespreking vroeg{PARTNER_REVEALS}"),
        "aangevraagd_door": _casus_staff("Wie om bespreking vroeg"),
        "reden": _casus(BIJZONDER, f"{ENCRYPTED_TEXT}; waarom bespreking nodig is"),
        "aangevraagd_op": _casus(GEWOON, "Wanneer om bespreking is gevraagd"),
        "afgehandeld_op": _casus(GEWOON, "Wanneer het verzoek op een agenda kwam"),
    },
    "casus.Signalenlijst": {
        "id": _list(ID),
        "versie": _list("Versienummer van de lijst met signalen van mensenhandel"),
        "geldig_vanaf": _list("Vanaf wanneer deze versie geldt"),
        "actief": _list("Of nieuwe signalen deze versie gebruiken"),
        "gepubliceerd_door": _list("Welke beheerder de versie publiceerde"),
        "gepubliceerd_op": _list("Wanneer de versie is gepubliceerd"),
    },
    "casus.Indicator": {
        "id": _list(ID),
        "lijst": _list("De versie van de lijst"),
        "code": _list("Code van het signaal van mensenhandel (statistiek)"),
        "omschrijving": _list("Omschrijving op de lijst (geen gegevens over een persoon)"),
        "volgorde": _list("Volgorde op het formulier"),
        "vorige": _list("Het signaal uit de vorige versie dat dit voortzet (trendvergelijking)"),
    },
    "casus.Signaal": {
        "id": _signaal(METADATA, ID),
        "partner": _signaal(
            BIJZONDER,
            "De meldende organisatie; onthult het soort contact (GGD: gezondheid)",
        ),
        "auteur": _signaal_staff("Wie het signaal meldde"),
        "rol": _signaal_staff(ROLE_AT_THE_TIME),
        "datum_waargenomen": _signaal(GEWOON, "Wanneer het signaal is waargenomen"),
        "bron": _signaal(
            BIJZONDER,
            "Hoe het signaal binnenkwam (controle, spreekuur, politie-informatie): onthult "
            "zorg- of handhavingscontact",
        ),
        "sector": _signaal(BIJZONDER, "Sector van het sekswerk: onthult sekswerk"),
        "gemeente": _signaal(GEWOON, "Gemeente (op gemeenteniveau) voor regie en statistiek"),
        "lijst": _signaal(METADATA, "Versie van de signalenlijst"),
        "indicatoren": _signaal(
            BIJZONDER,
            "Aangevinkte signalen van mensenhandel: onthullen seksleven, uitbuiting en soms "
            "gezondheid",
        ),
        "niet_pluis": _signaal(
            BIJZONDER, "Niet-pluisgevoel van de professional (0-3) over uitbuiting"
        ),
        "urgentie": _signaal(BIJZONDER, "Urgentie, tot 'acuut: direct gevaar'"),
        "omschrijving": _signaal(
            STRAFRECHTELIJK,
            f"{ENCRYPTED_TEXT}. Beschrijft mogelijke uitbuiting (sekswerk, gezondheid) en vaak "
            "betrokken daders of politie-informatie, dus het strengere regime van art. 10",
        ),
        "zichtbaarheid": _signaal(METADATA, "Wie het signaal mag zien (keten, regie, intern)"),
        "status": _signaal(GEWOON, "Nieuw, gekoppeld of geen vervolg; bepaalt de bewaartermijn"),
        "casus": _signaal(GEWOON, "De casus waaraan het signaal bij triage is gekoppeld"),
        "triage_door": _signaal_staff("Welke zorgcoördinator het signaal beoordeelde"),
        "triage_op": _signaal(GEWOON, "Wanneer beoordeeld: begin bewaartermijn bij geen vervolg"),
        "gekoppeld_op": _signaal(
            GEWOON, "Wanneer het signaal bij de casus kwam (agenderingsregel herhaalsignaal)"
        ),
        "geen_vervolg_reden": _signaal(
            BIJZONDER, f"{ENCRYPTED_TEXT}; waarom het signaal geen vervolg krijgt"
        ),
        "aangemaakt_op": _signaal(GEWOON, "Wanneer het signaal is gemeld"),
    },
    "casus.PseudoniemToken": {
        "id": _signaal(METADATA, ID),
        "signaal": _signaal(GEWOON, LINK_SIGNAAL),
        "soort": _signaal(
            GEWOON, "Uit welke kenmerken het token is afgeleid (bijv. naam en geboortedatum)"
        ),
        "sleutelversie": _signaal(METADATA, "Versie van de pseudonimiseringssleutel"),
        "token": _signaal(
            BIJZONDER,
            "Gepseudonimiseerd kenmerk (HMAC-SHA256 met geheime sleutel) van een mogelijk "
            "slachtoffer in de seksbranche; met de sleutel en de kenmerken herleidbaar",
        ),
    },
    "casus.MatchHint": {
        "id": _signaal(METADATA, ID),
        "signaal": _signaal(GEWOON, LINK_SIGNAAL),
        "ander_signaal": _signaal(
            GEWOON, "Het signaal met dezelfde tokens: waarschijnlijk dezelfde persoon"
        ),
        "soorten": _signaal(GEWOON, "Welke soorten tokens overeenkwamen"),
        "sterkte": _signaal(GEWOON, "Hoe sterk de overeenkomst is"),
        "aangemaakt_op": _signaal(GEWOON, "Wanneer de overeenkomst is gevonden"),
        "afgehandeld_op": _signaal(GEWOON, "Wanneer de zorgcoördinator de hint afhandelde"),
        "afgehandeld_door": _signaal_staff("Welke zorgcoördinator de hint beoordeelde"),
        "uitkomst": _signaal(GEWOON, "Bevestigd of afgewezen door de zorgcoördinator"),
        "gedeeld": _signaal(
            GEWOON,
            "Soorten tokens die meerdere identiteiten delen (gedeeld telefoonnummer of "
            "werknaam): een signaal over een netwerk, geen persoonsmatch",
        ),
    },
    "casus.OverlegSerie": {
        "id": _meeting(ID),
        "naam": _meeting("Naam van de overlegreeks"),
        "interval_weken": _meeting("Om de hoeveel weken het overleg is"),
        "plaats": _meeting("Vaste vergaderplaats"),
        "voorzitter": _meeting("De vaste voorzitter", GEWOON),
        "partners": _meeting("Uitgenodigde partners (organisaties)"),
        "leden": _meeting("Vaste deelnemers (personen van de partners)", GEWOON),
        "agenda_werkdagen": _meeting("Hoeveel werkdagen vooraf de agenda wordt gemaakt"),
        "actief": _meeting("Of er nog overleggen in deze reeks worden gepland"),
    },
    "casus.Overleg": {
        "id": _meeting(ID),
        "serie": _meeting("De overlegreeks"),
        "datum": _meeting("Datum en tijd van het overleg"),
        "plaats": _meeting("Vergaderplaats"),
        "voorzitter": _meeting("De voorzitter van dit overleg", GEWOON),
        "status": _meeting("Voortgang: gepland, agenda vastgesteld, gehouden, verslag vastgesteld"),
        "agenda_gegenereerd_op": _meeting("Wanneer de concept-agenda is gemaakt"),
        "agenda_vastgesteld_op": _meeting("Wanneer de agenda is vastgesteld"),
        "verslag_vastgesteld_op": _meeting("Wanneer het verslag is vastgesteld"),
        "generatie_status": _meeting("Technisch: voortgang van het maken van de agenda"),
        "generatie_gestart_op": _meeting("Technisch: begin van het maken van de agenda"),
        "geannuleerd_op": _meeting("Wanneer het overleg is geannuleerd"),
        "annuleringsreden": _meeting(
            "Versleuteld; waarom het overleg niet doorging (kan omstandigheden noemen)", BIJZONDER
        ),
    },
    "casus.Deelnemer": {
        "id": _meeting(ID),
        "overleg": _meeting("Het overleg"),
        "gebruiker": _meeting("De uitgenodigde persoon (medewerker van een partner)", GEWOON),
        "partner": _meeting("De partner van de deelnemer (organisatie)"),
        "status": _meeting("Uitgenodigd, aanwezig, afwezig of afgemeld"),
        "vertrouwelijkheid_bevestigd_op": _meeting(
            "Wanneer de deelnemer de geheimhoudingsverklaring bevestigde"
        ),
    },
    "casus.Aanwezigheid": {
        "id": _meeting(ID),
        "overleg": _meeting("Het overleg"),
        "partner": _meeting("De partner (organisatie, geen persoon)"),
        "aanwezig": _meeting("Of de partner aanwezig was"),
    },
    "casus.Agendapunt": {
        "id": _agendapunt(METADATA, ID),
        "overleg": _agendapunt(METADATA, "Het overleg waarop het punt staat"),
        "soort": _agendapunt(METADATA, "Vaste rubriek of casus"),
        "casus": _agendapunt(GEWOON, f"{LINK_CASUS}; leeg bij vaste rubrieken"),
        "volgorde": _agendapunt(METADATA, "Plaats op de agenda"),
        "redenen": _agendapunt(
            GEWOON, "Waarom de casus op de agenda staat (nieuw, herhaalsignaal, match, ...)"
        ),
        "handmatig_toegevoegd": _agendapunt(
            METADATA, "Handmatig op de agenda gezet (door de zorgcoördinator)"
        ),
        "verwijderd": _agendapunt(METADATA, "Door de voorzitter van de agenda gehaald"),
        "volgorde_handmatig": _agendapunt(METADATA, "Volgorde door de voorzitter bepaald"),
        "risico_bij_agendering": _agendapunt(
            BIJZONDER, "Risiconiveau bij agendering: onthult seksleven en slachtofferschap"
        ),
        "besluit": _agendapunt(
            STRAFRECHTELIJK,
            f"{ENCRYPTED_TEXT}. Besluit van het ketenoverleg; gaat ook over stappen van "
            "politie en handhaving, dus het strengere regime van art. 10",
        ),
        "besproken_op": _agendapunt(GEWOON, "Wanneer de casus is besproken (agenderingsregels)"),
        "risico_bij_bespreking": _agendapunt(
            BIJZONDER, "Risiconiveau bij bespreking: onthult seksleven en slachtofferschap"
        ),
    },
    "casus.Tombstone": {
        "id": _tombstone(ID),
        "soort": _tombstone("Signaal of casus"),
        "periode": _tombstone("Maand van melding of opening"),
        "afgesloten_periode": _tombstone("Maand van afsluiten"),
        "bron": _tombstone("Bron, voor de trendstatistiek"),
        "sector": _tombstone("Sector, voor de trendstatistiek"),
        "gemeente": _tombstone("Gemeente, voor de trendstatistiek"),
        "risico": _tombstone("Risiconiveau, voor de trendstatistiek"),
        "status": _tombstone("Laatste status, voor de trendstatistiek"),
        "uitkomst": _tombstone("Uitkomst van de afgesloten casus, voor de trendstatistiek"),
        "indicatoren": _tombstone("Codes van aangevinkte signalen, voor de trendstatistiek"),
        "verwijderd_op": _tombstone("Wanneer het origineel is verwijderd"),
    },
    "casus.LegalHold": {
        "id": _hold(METADATA, ID),
        "casus": _hold(GEWOON, LINK_CASUS),
        "signaal": _hold(GEWOON, LINK_SIGNAAL),
        "reden": _hold(
            STRAFRECHTELIJK,
            f"{ENCRYPTED_TEXT}; waarom niet verwijderd mag worden. Meestal een lopende "
            "(straf)procedure, dus het strengere regime van art. 10",
        ),
        "door": _hold(GEWOON, "Welke FG de bewaarplicht instelde"),
        "op": _hold(GEWOON, "Wanneer de bewaarplicht is ingesteld"),
        "opgeheven_op": _hold(GEWOON, "Wanneer de bewaarplicht is opgeheven"),
    },
    "casus.Inzageverzoek": {
        "id": _inzage(METADATA, ID),
        "ontvangen_op": _inzage(GEWOON, "Wanneer de betrokkene het verzoek deed (termijn)"),
        "soort": _inzage(GEWOON, "Inzage, rectificatie of wissing"),
        "geregistreerd_door": _inzage(GEWOON, "Welke FG het verzoek registreerde"),
        "geregistreerd_op": _inzage(GEWOON, "Wanneer het verzoek is geregistreerd"),
        "status": _inzage(GEWOON, "Voortgang van het verzoek"),
        "samengesteld_door": _inzage(GEWOON, "Welke zorgcoördinator het rapport samenstelde"),
        "samengesteld_op": _inzage(GEWOON, "Wanneer het rapport is samengesteld"),
        "categorieen": _inzage(
            BIJZONDER,
            "Welke soorten gegevens het rapport bevat; de FG ziet dit en kent de verzoeker, "
            "dus het onthult dat iemand als mogelijk slachtoffer bekend is",
        ),
        "gevonden": _inzage(
            BIJZONDER,
            "Versleuteld opgeslagen: de nummers van de signalen die bij de verzoeker horen, de "
            "soorten kenmerken die overeenkwamen, de nog te beoordelen mogelijke overeenkomsten "
            "en een controlegetal van de selectie; nooit de identificerende gegevens zelf; "
            "alleen zolang het verzoek loopt",
        ),
        "afgerond_op": _inzage(GEWOON, "Wanneer het verzoek is afgerond"),
    },
}
