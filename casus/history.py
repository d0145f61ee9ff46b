"""Change history of the casus models with django-auditlog, without content.

Encrypted free-text fields are recorded as changed, never with their values: the history
says *that* a text changed, the access events say *who* read it.
"""

from __future__ import annotations

from auditlog.registry import auditlog

from casus import models

REDACTED = "[versleutelde tekst]"

# model -> free-text fields whose values never enter the change history
SENSITIVE_FIELDS: dict[type, list[str]] = {
    models.Casus: ["grondslag_toelichting"],
    models.Betrokkenheid: ["reden"],
    models.Bijdrage: ["tekst"],
    models.Afspraak: ["omschrijving", "uitkomst_toelichting"],
    models.StatusWijziging: ["toelichting"],
    models.Agendering: ["reden"],
}


def redact(value: str) -> str:
    """auditlog's mask callable: the whole value goes, only "empty" stays recognisable."""
    return "" if value in ("", "None") else REDACTED


def register() -> None:
    for model, fields in SENSITIVE_FIELDS.items():
        auditlog.register(model, mask_fields=fields, mask_callable="casus.history.redact")
