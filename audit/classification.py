"""Field classification of the audit app for the processing register (config.classification).

An access event is ordinary personal data about the professional who acted (who, when, from
where, in which role); the rest is the event's bookkeeping. It holds references, never content.
"""

from __future__ import annotations

from django.conf import settings

from config.kernel.classification import Category, Classification, FieldInfo, describe_period

GEWOON = Category.GEWOON
METADATA = Category.METADATA

EVENT_RETENTION = (
    f"{describe_period(settings.AUDIT_RETENTION)} na de gebeurtenis (AUDIT_RETENTION_DAYS); "
    "daarna verwijderd, met een ankerpunt"
)
ANCHOR_RETENTION = "Onbeperkt: nodig om de rest van de keten te kunnen controleren"
EVENT_BASIS = (
    "AVG art. 6 lid 1c in verbinding met art. 32 (beveiliging) en art. 5 lid 2 "
    "(verantwoording); BIO 8.15, NEN 7513"
)


def _event(purpose: str, category: Category = GEWOON) -> FieldInfo:
    return FieldInfo(category, purpose, EVENT_RETENTION, EVENT_BASIS if category == GEWOON else "")


def _anchor(purpose: str) -> FieldInfo:
    return FieldInfo(METADATA, purpose, ANCHOR_RETENTION)


def _block(purpose: str) -> FieldInfo:
    return FieldInfo(METADATA, purpose, EVENT_RETENTION)


CLASSIFICATION: Classification = {
    "audit.AuditEvent": {
        "id": _event("Technisch nummer, toegekend bij het vastleggen", METADATA),
        "occurred_at": _event("Wanneer de medewerker handelde"),
        "action": _event("Wat de medewerker deed (actiecode)"),
        "outcome": _event("Geslaagd, mislukt of geweigerd"),
        "actor": _event("Welke medewerker handelde (leeg bij een onbekend account)"),
        "actor_partner": _event("De organisatie van de medewerker op het moment zelf"),
        "actor_role": _event("De functie van de medewerker op het moment zelf"),
        "on_behalf_of": _event("Namens welke medewerker gehandeld werd, als dat zo was"),
        "purpose": _event("Doel of grondslag van de inzage (code, geen vrije tekst)"),
        "object_type": _event("Soort object (casus, signaal, auditlog, ...)", METADATA),
        "object_ref": _event(
            "Verwijzing naar het object (casusreferentie of nummer), nooit inhoud; blijft "
            "bestaan als de casus al is verwijderd"
        ),
        "correlation_id": _event("Verbindt de gebeurtenissen van één verzoek", METADATA),
        "source_address": _event("IP-adres van de medewerker (beveiliging, misbruik opsporen)"),
        "seq": _event("Plaats in de hashketen, toegekend bij het verzegelen", METADATA),
        "previous_hash": _event("Hash van de vorige gebeurtenis (hashketen)", METADATA),
        "hash": _event("Hash van deze gebeurtenis: wijzigen valt op", METADATA),
    },
    "audit.AuditAnchor": {
        "id": _anchor("Technisch volgnummer"),
        "purged_through_seq": _anchor("Tot en met welk volgnummer is verwijderd"),
        "last_hash": _anchor("Hash van de laatst verwijderde gebeurtenis: begin van de controle"),
        "purged_count": _anchor("Hoeveel gebeurtenissen zijn verwijderd"),
        "purged_at": _anchor("Wanneer verwijderd"),
    },
    "audit.AuditBlock": {
        "id": _block("Technisch volgnummer"),
        "first_seq": _block("Eerste gebeurtenis van het blok"),
        "last_seq": _block("Laatste gebeurtenis van het blok"),
        "merkle_root": _block("Merkle-wortel over de hashes van de gebeurtenissen in het blok"),
        "previous_hash": _block("Hash van het vorige blok (blokketen)"),
        "hash": _block("Hash van dit blok: ondertekend in de controlepunten"),
        "sealed_at": _block("Wanneer verzegeld"),
    },
}
