"""Permission-checked reads of meetings and agendas, redacted per reader (PRODUCT.md §5).

An agenda item about a casus the reader may not see is shown as "Afgeschermd agendapunt" with
its number only; the chair of the meeting sees the agenda-level data of every item
(reference, reasons, risk, involved partners, open afspraken) but no contributions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from audit.models import AuditAction
from audit.services import ObjectRef, event_record, events_record_bulk, record_denied
from casus import policy
from casus.models import (
    Afspraak,
    Agendapunt,
    Betrokkenheid,
    Overleg,
    Reden,
)
from partners.models import User


def overleg_list_for(*, user: User) -> QuerySet[Overleg]:
    return policy.visible_overleggen(user).select_related("serie", "voorzitter").order_by("-datum")


def overleg_get_for(*, user: User, pk: int) -> Overleg:
    overleg = (
        policy.visible_overleggen(user).select_related("serie", "voorzitter").filter(pk=pk).first()
    )
    if overleg is None:
        record_denied(user=user, object_type="overleg", ref=f"O{pk}")
        raise Http404
    return overleg


@dataclass
class AgendaRegel:
    """One line of the agenda as this reader may see it."""

    nummer: int
    soort: str
    item: Agendapunt
    afgeschermd: bool = False
    volledig: bool = False  # the reader may open the casus itself
    toon_besluit: bool = False  # the besluit is shown to this reader (casus.policy.sees_besluit)
    referentie: str = ""
    risico: str = ""
    redenen: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    open_afspraken: list[Afspraak] = field(default_factory=list)

    @property
    def reden_labels(self) -> list[str]:
        return [str(Reden(code).label) for code in self.redenen if code in Reden.values]


def agenda_for(*, user: User, overleg: Overleg, record: bool = True) -> list[AgendaRegel]:
    """The agenda redacted for this reader, in a fixed number of queries."""
    items = list(
        overleg.agendapunten.filter(verwijderd=False)
        .select_related("casus")
        .order_by("volgorde", "id")
    )
    casus_ids = [item.casus_id for item in items if item.casus_id]
    visible = set(
        policy.visible_casussen(user).filter(pk__in=casus_ids).values_list("pk", flat=True)
    )
    agenda_level = policy.agenda_level_casussen(user, overleg, casus_ids)
    partners: dict[int, list[str]] = defaultdict(list)
    for casus_id, name in Betrokkenheid.objects.filter(
        casus_id__in=agenda_level, beeindigd_op__isnull=True
    ).values_list("casus_id", "partner__name"):
        partners[casus_id].append(name)
    afspraken: dict[int, list[Afspraak]] = defaultdict(list)
    for afspraak in Afspraak.objects.filter(
        casus_id__in=agenda_level, uitkomst="open"
    ).select_related("partner"):
        afspraken[afspraak.casus_id].append(afspraak)
    regels = []
    for number, item in enumerate(items, start=1):
        regel = AgendaRegel(nummer=number, soort=item.soort, item=item)
        if item.casus is not None:
            if item.casus_id in agenda_level:
                regel.referentie = item.casus.referentie
                regel.risico = item.casus.risico
                regel.redenen = list(item.redenen)
                regel.partners = sorted(partners[item.casus_id])
                regel.open_afspraken = afspraken[item.casus_id]
                regel.volledig = item.casus_id in visible
            else:
                regel.afgeschermd = True
        regel.toon_besluit = policy.sees_besluit(
            user, overleg, casus_item=item.casus_id is not None, casus_visible=regel.volledig
        )
        regels.append(regel)
    if record:
        event_record(
            action=AuditAction.AGENDA_READ,
            actor=user,
            object_type="overleg",
            object_ref=f"O{overleg.pk}",
        )
        shown = [ObjectRef("casus", r.referentie) for r in regels if r.referentie]
        if shown:
            events_record_bulk(action=AuditAction.CASUS_LISTED, actor=user, objects=shown)
    return regels


def agenda_casussen_read(*, user: User, action: AuditAction, regels: list[AgendaRegel]) -> None:
    """An access event under each casus of these agenda lines that the reader was shown (at
    agenda level or in full), so the FG finds a minutes or meeting read under the casus itself:
    object type "casus", its reference and its legal basis as purpose, as the casus page records
    its read. One insert per legal basis, not per casus."""
    by_purpose: dict[str, list[ObjectRef]] = defaultdict(list)
    for regel in regels:
        casus = regel.item.casus
        if regel.referentie and casus is not None:
            by_purpose[casus.grondslag].append(ObjectRef("casus", casus.referentie))
    for purpose, objects in sorted(by_purpose.items()):
        events_record_bulk(action=action, actor=user, objects=objects, purpose=purpose)


def agendapunt_get_for(*, user: User, overleg: Overleg, pk: int) -> Agendapunt:
    item = overleg.agendapunten.select_related("casus").filter(pk=pk, verwijderd=False).first()
    if item is None:
        record_denied(user=user, object_type="overleg", ref=f"O{overleg.pk}")
        raise Http404
    return item


def previous_meeting(overleg: Overleg) -> Overleg | None:
    return (
        Overleg.objects.filter(serie_id=overleg.serie_id, datum__lt=overleg.datum)
        .exclude(pk=overleg.pk)
        .order_by("-datum")
        .first()
    )


def upcoming_meetings(*, user: User, now: datetime.datetime) -> QuerySet[Overleg]:
    return overleg_list_for(user=user).filter(datum__gte=now).order_by("datum")
