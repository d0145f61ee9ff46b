"""Agenda generation for the ketenoverleg (PRODUCT.md §7).

Every rule is one database query that returns casus ids, so the work does not grow with the
number of items; a regenerated concept keeps the chair's edits, and a final agenda is frozen.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit.models import AuditAction
from audit.services import event_record
from casus.models import (
    REDEN_PRIORITEIT,
    RISICO_RANK,
    Afspraak,
    Agendapunt,
    AgendapuntSoort,
    Agendering,
    Casus,
    MatchHint,
    Overleg,
    OverlegStatus,
    Reden,
    Risico,
    Signaal,
    SignaalStatus,
    Status,
)

DEFAULT_LOOKBACK = datetime.timedelta(weeks=8)
REPEAT_SIGNAL_WINDOW = datetime.timedelta(days=365)
REVIEW_AFTER = datetime.timedelta(weeks=12)
FIXED_SECTIONS = (AgendapuntSoort.OPENING, AgendapuntSoort.TRENDS, AgendapuntSoort.RONDVRAAG)


def _risk_rank(field: str) -> Case:
    return Case(
        *[When(**{field: risk}, then=Value(rank)) for risk, rank in RISICO_RANK.items()],
        default=Value(len(RISICO_RANK)),
        output_field=IntegerField(),
    )


def previous_meeting_date(overleg: Overleg) -> datetime.datetime:
    """The previous meeting of the same series, or eight weeks before this one."""
    previous = (
        Overleg.objects.filter(serie_id=overleg.serie_id, datum__lt=overleg.datum)
        .exclude(pk=overleg.pk)
        .order_by("-datum")
        .values_list("datum", flat=True)
        .first()
    )
    return previous or overleg.datum - DEFAULT_LOOKBACK


def candidates(overleg: Overleg, *, now: datetime.datetime | None = None) -> dict[int, set[str]]:
    """casus id -> the reasons (§7) that put it on this meeting's agenda."""
    now = now or timezone.now()
    since = previous_meeting_date(overleg)
    meeting_day = timezone.localdate(overleg.datum)
    open_casussen = Casus.objects.exclude(status=Status.AFGESLOTEN)
    discussed = Agendapunt.objects.filter(casus=OuterRef("pk"), besproken_op__isnull=False).exclude(
        overleg=overleg
    )
    last_discussed = Subquery(discussed.order_by("-besproken_op").values("besproken_op")[:1])
    risk_then = Subquery(discussed.order_by("-besproken_op").values("risico_bij_bespreking")[:1])
    reasons: dict[int, set[str]] = defaultdict(set)

    def add(reason: str, ids: Any) -> None:
        for casus_id in ids:
            reasons[casus_id].add(reason)

    add(Reden.NIEUW, open_casussen.filter(geopend_op__gt=since).values_list("pk", flat=True))
    add(
        Reden.HERHAALSIGNAAL,
        open_casussen.annotate(laatst=last_discussed)
        .filter(
            laatst__gte=now - REPEAT_SIGNAL_WINDOW,
            pk__in=Signaal.objects.filter(
                status=SignaalStatus.GEKOPPELD, aangemaakt_op__gt=since
            ).values("casus_id"),
        )
        .values_list("pk", flat=True),
    )
    add(
        Reden.AFSPRAAK_VERLOPEN,
        open_casussen.filter(
            pk__in=Afspraak.objects.filter(uitkomst="open", deadline__lt=meeting_day).values(
                "casus_id"
            )
        ).values_list("pk", flat=True),
    )
    add(
        Reden.RISICO_VERHOOGD,
        open_casussen.annotate(risk_then=risk_then)
        .exclude(risk_then__isnull=True)
        .exclude(risk_then="")
        .annotate(rank_now=_risk_rank("risico"), rank_then=_risk_rank("risk_then"))
        .filter(rank_now__lt=F("rank_then"))
        .values_list("pk", flat=True),
    )
    add(
        Reden.GEAGENDEERD,
        open_casussen.filter(
            pk__in=Agendering.objects.filter(afgehandeld_op__isnull=True).values("casus_id")
        ).values_list("pk", flat=True),
    )
    matches = (
        MatchHint.objects.filter(
            afgehandeld_op__isnull=True,
            signaal__casus__isnull=False,
            ander_signaal__casus__isnull=False,
        )
        .exclude(signaal__casus=F("ander_signaal__casus"))
        .values_list("signaal__casus_id", "ander_signaal__casus_id")
    )
    open_ids = set()
    match_ids = {casus_id for pair in matches for casus_id in pair}
    if match_ids:
        open_ids = set(open_casussen.filter(pk__in=match_ids).values_list("pk", flat=True))
    add(Reden.MATCH, open_ids)
    add(
        Reden.PERIODIEKE_REVIEW,
        open_casussen.annotate(laatst=Coalesce(last_discussed, F("geopend_op")))
        .filter(laatst__lte=overleg.datum - REVIEW_AFTER)
        .values_list("pk", flat=True),
    )
    add(
        Reden.VOORSTEL_AFSLUITEN,
        open_casussen.filter(afsluiten_voorgesteld_op__isnull=False).values_list("pk", flat=True),
    )
    return dict(reasons)


@dataclass(frozen=True)
class GenerationResult:
    generated: bool  # False when the agenda is final (frozen)
    items: int


def _ordered_reasons(reasons: set[str]) -> list[str]:
    return sorted(reasons, key=REDEN_PRIORITEIT.__getitem__)


@transaction.atomic
def agenda_generate(
    *, overleg: Overleg, actor: Any = None, now: datetime.datetime | None = None
) -> GenerationResult:
    """Generate or regenerate the concept agenda. Idempotent: the same state gives the same
    items; the chair's removals, additions and order are kept; a final agenda is frozen."""
    overleg = Overleg.objects.select_for_update().get(pk=overleg.pk)
    if overleg.status not in (OverlegStatus.GEPLAND, OverlegStatus.AGENDA_CONCEPT):
        return GenerationResult(False, overleg.agendapunten.filter(verwijderd=False).count())
    found = candidates(overleg, now=now)
    risks = dict(Casus.objects.filter(pk__in=found).values_list("pk", "risico"))
    existing = {
        item.casus_id: item for item in overleg.agendapunten.filter(soort=AgendapuntSoort.CASUS)
    }

    stale = [
        item.pk
        for casus_id, item in existing.items()
        if casus_id not in found and not item.handmatig_toegevoegd and not item.verwijderd
    ]
    Agendapunt.objects.filter(pk__in=stale).delete()
    to_update, to_create = [], []
    for casus_id, reasons in found.items():
        ordered = _ordered_reasons(reasons)
        item = existing.get(casus_id)
        if item is None:
            to_create.append(
                Agendapunt(
                    overleg=overleg,
                    soort=AgendapuntSoort.CASUS,
                    casus_id=casus_id,
                    redenen=ordered,
                    risico_bij_agendering=risks[casus_id],
                )
            )
        else:
            item.redenen = ordered
            item.risico_bij_agendering = risks[casus_id]
            to_update.append(item)
    Agendapunt.objects.bulk_update(to_update, ["redenen", "risico_bij_agendering"])
    Agendapunt.objects.bulk_create(to_create)
    present = set(
        overleg.agendapunten.exclude(soort=AgendapuntSoort.CASUS).values_list("soort", flat=True)
    )
    Agendapunt.objects.bulk_create(
        [
            Agendapunt(overleg=overleg, soort=soort)
            for soort in FIXED_SECTIONS
            if soort not in present
        ]
    )
    _number(overleg)
    overleg.status = OverlegStatus.AGENDA_CONCEPT
    overleg.agenda_gegenereerd_op = timezone.now()
    overleg.save(update_fields=["status", "agenda_gegenereerd_op"])
    event_record(
        action=AuditAction.AGENDA_GENERATED,
        actor=actor,
        object_type="overleg",
        object_ref=f"O{overleg.pk}",
    )
    return GenerationResult(True, overleg.agendapunten.filter(verwijderd=False).count())


def _rule_key(item: Agendapunt) -> tuple[int, int, str]:
    reasons = item.redenen or [Reden.VOORSTEL_AFSLUITEN]
    return (
        RISICO_RANK.get(Risico(item.risico_bij_agendering), 9) if item.risico_bij_agendering else 9,
        min(REDEN_PRIORITEIT.get(reason, 99) for reason in reasons),
        item.casus.referentie if item.casus else "",
    )


def _number(overleg: Overleg) -> None:
    """Opening first, rondvraag last, trends before it; the casus items by risk then reason —
    unless the chair reordered, then the chair's order stays and new items follow it."""
    items = list(overleg.agendapunten.select_related("casus"))
    removed = [item for item in items if item.verwijderd]
    items = [item for item in items if not item.verwijderd]
    fixed = {item.soort: item for item in items if item.soort != AgendapuntSoort.CASUS}
    casus_items = [item for item in items if item.soort == AgendapuntSoort.CASUS]
    if any(item.volgorde_handmatig for item in casus_items):
        kept = sorted((i for i in casus_items if i.volgorde), key=lambda i: i.volgorde)
        new = sorted((i for i in casus_items if not i.volgorde), key=_rule_key)
        casus_items = kept + new
    else:
        casus_items.sort(key=_rule_key)
    ordered = [
        fixed[AgendapuntSoort.OPENING],
        *casus_items,
        fixed[AgendapuntSoort.TRENDS],
        fixed[AgendapuntSoort.RONDVRAAG],
    ]
    for position, item in enumerate(ordered, start=1):
        item.volgorde = position
    for item in removed:
        item.volgorde = 0
    Agendapunt.objects.bulk_update(ordered + removed, ["volgorde"])
