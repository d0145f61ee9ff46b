"""Field classification of the partners app for the processing register (config.classification).

Partners are organisations, not people: their fields are no personal data. Users are the
professionals of the partners: ordinary personal data about staff, kept as long as the account.
"""

from __future__ import annotations

from config.kernel.classification import Category, Classification, FieldInfo

GEWOON = Category.GEWOON
METADATA = Category.METADATA

PARTNER_RETENTION = "Zolang de organisatie ketenpartner is (daarna gedeactiveerd, niet verwijderd)"
ACCOUNT_RETENTION = (
    "Zolang het account bestaat; een gedeactiveerd account blijft bestaan zolang "
    "auditgebeurtenissen, signalen of bijdragen ernaar verwijzen"
)
STAFF_BASIS = "AVG art. 6 lid 1e (taak van algemeen belang: veilige samenwerking in de keten)"


def _partner(purpose: str) -> FieldInfo:
    return FieldInfo(METADATA, purpose, PARTNER_RETENTION)


def _account(purpose: str, category: Category = GEWOON) -> FieldInfo:
    return FieldInfo(
        category, purpose, ACCOUNT_RETENTION, STAFF_BASIS if category == GEWOON else ""
    )


CLASSIFICATION: Classification = {
    "partners.Partner": {
        "id": _partner("Technisch volgnummer"),
        "name": _partner("Naam van de organisatie, getoond bij bijdragen en in het auditlog"),
        "kind": _partner(
            "Soort organisatie (zorg, gezondheid, politie, gemeente); bepaalt standaard "
            "zichtbaarheid van bijdragen"
        ),
        "group": _partner("Rechtengroep van de organisatie (objectrechten op casussen)"),
        "is_active": _partner("Of de organisatie nog deelneemt; inactief ontneemt alle toegang"),
        "created_at": _partner("Wanneer de organisatie is toegevoegd"),
    },
    "partners.User": {
        "id": _account("Technisch volgnummer van het account", METADATA),
        "password": _account("Inloggen; alleen als gezouten hash opgeslagen"),
        "last_login": _account("Laatste aanmelding: beveiliging en zicht op ongebruikte accounts"),
        "is_superuser": _account(
            "Altijd onwaar (databaseregel): niemand krijgt alle rechten", METADATA
        ),
        "username": _account(
            "Aanmelden; herkennen van de medewerker bij bijdragen, signalen en in het auditlog"
        ),
        "first_name": _account("Voornaam van de medewerker, voor het accountbeheer"),
        "last_name": _account("Achternaam van de medewerker, voor het accountbeheer"),
        "email": _account("E-mailmeldingen dat er iets veranderd is (zonder inhoud)"),
        "is_staff": _account("Toegang tot het beheer (alleen functioneel beheerders)"),
        "is_active": _account("Of het account mag inloggen; uitzetten werkt direct"),
        "date_joined": _account("Wanneer het account is aangemaakt"),
        "groups": _account("Rechtengroep van de eigen organisatie (objectrechten op casussen)"),
        "user_permissions": _account("Persoonlijke Django-rechten (in de praktijk leeg)"),
        "partner": _account("De organisatie waarvoor de medewerker werkt; bepaalt toegang"),
        "role": _account("De functie van de medewerker; bepaalt wat het account mag"),
        "must_change_password": _account(
            "Of de medewerker bij de volgende aanmelding een eigen wachtwoord moet kiezen",
            METADATA,
        ),
        "access_version": _account(
            "Teller van goedgekeurde toegang tot casusinhoud; beëindigt oudere sessies", METADATA
        ),
    },
    "partners.RolWijzigingsverzoek": {
        "id": _account("Technisch volgnummer van de aanvraag", METADATA),
        "user": _account("Het account waarvoor toegang tot casusinhoud is aangevraagd"),
        "requested_role": _account("De aangevraagde functie"),
        "requested_partner": _account("De organisatie waarvoor de functie is aangevraagd"),
        "new_account": _account("Of de aanvraag bij een nieuw account hoort", METADATA),
        "requested_by": _account("De functioneel beheerder die de wijziging aanvroeg"),
        "requested_at": _account("Wanneer de wijziging is aangevraagd", METADATA),
        "status": _account("Wacht, goedgekeurd, afgewezen of vervallen", METADATA),
        "decided_by": _account("De tweede functioneel beheerder die besliste"),
        "decided_at": _account("Wanneer is beslist", METADATA),
    },
}
