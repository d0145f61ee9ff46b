"""Agenda generation for the ketenoverleg (PRODUCT.md §7).

Every rule is a database query (periodic review: two) that returns casus ids, so the number of
queries does not grow with the number of items; a regenerated concept keeps the chair's edits,
and a final agenda is frozen.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
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
from casus.signalen.pseudonym import PERSON_MATCH_TIERS
from partners.models import User

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
    """The previous meeting of the same series that was not cancelled, or eight weeks before
    this one."""
    previous = (
        Overleg.objects.filter(serie_id=overleg.serie_id, datum__lt=overleg.datum)
        .exclude(pk=overleg.pk)
        .exclude(status=OverlegStatus.GEANNULEERD)
        .order_by("-datum")
        .values_list("datum", flat=True)
        .first()
    )
    return previous or overleg.datum - DEFAULT_LOOKBACK


def candidates(overleg: Overleg, *, now: datetime.datetime | None = None) -> dict[int, set[str]]:
    """casus id -> the reasons (§7) that put it on this meeting's agenda.

    The rules about earlier discussions ask whether a discussion exists (after a moment), not
    for the last one per casus: PostgreSQL plans that as a (anti-)join instead of a subquery per
    open casus, which also keeps its cost estimate below the JIT threshold."""
    now = now or timezone.now()
    since = previous_meeting_date(overleg)
    meeting_day = timezone.localdate(overleg.datum)
    review_cutoff = overleg.datum - REVIEW_AFTER
    open_casussen = Casus.objects.exclude(status=Status.AFGESLOTEN)
    discussions = Agendapunt.objects.filter(besproken_op__isnull=False).exclude(overleg=overleg)
    discussed = discussions.filter(casus=OuterRef("pk"))
    reasons: dict[int, set[str]] = defaultdict(set)

    def add(reason: str, ids: Any) -> None:
        for casus_id in ids:
            reasons[casus_id].add(reason)

    add(Reden.NIEUW, open_casussen.filter(geopend_op__gt=since).values_list("pk", flat=True))
    add(
        Reden.HERHAALSIGNAAL,
        open_casussen.filter(
            Exists(discussed.filter(besproken_op__gte=now - REPEAT_SIGNAL_WINDOW)),
            # A signal is new to the casus when it was reported or joined the casus (triage
            # link, opening, merge) since the previous meeting (issue 11).
            pk__in=Signaal.objects.filter(
                Q(aangemaakt_op__gt=since) | Q(gekoppeld_op__gt=since),
                status=SignaalStatus.GEKOPPELD,
            ).values("casus_id"),
        ).values_list("pk", flat=True),
    )
    add(
        Reden.AFSPRAAK_VERLOPEN,
        open_casussen.filter(
            pk__in=Afspraak.objects.filter(uitkomst="open", deadline__lt=meeting_day).values(
                "casus_id"
            )
        ).values_list("pk", flat=True),
    )
    # The last discussion of an open casus (no later one) at a lower risk than now.
    add(
        Reden.RISICO_VERHOOGD,
        discussions.filter(casus__in=open_casussen)
        .exclude(risico_bij_bespreking="")
        .filter(
            ~Exists(
                discussions.filter(
                    casus=OuterRef("casus_id"), besproken_op__gt=OuterRef("besproken_op")
                )
            )
        )
        .annotate(
            rank_now=_risk_rank("casus__risico"), rank_then=_risk_rank("risico_bij_bespreking")
        )
        .filter(rank_now__lt=F("rank_then"))
        .values_list("casus_id", flat=True),
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
            sterkte__in=PERSON_MATCH_TIERS,
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
    # Not discussed for twelve weeks: discussed, but not after the cutoff; or never discussed
    # and opened at or before it. (Two queries: an OR of the two would be a subquery per row.)
    not_since = open_casussen.filter(~Exists(discussed.filter(besproken_op__gt=review_cutoff)))
    add(Reden.PERIODIEKE_REVIEW, not_since.filter(Exists(discussed)).values_list("pk", flat=True))
    add(
        Reden.PERIODIEKE_REVIEW,
        open_casussen.filter(~Exists(discussed), geopend_op__lte=review_cutoff).values_list(
            "pk", flat=True
        ),
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
    *, overleg: Overleg, actor: User | None = None, now: datetime.datetime | None = None
) -> GenerationResult:
    """Generate or regenerate the concept agenda. Idempotent: the same state gives the same
    items; the chair's removals, additions and order are kept; a final agenda is frozen.

    Only what changed is written: new items are inserted with their number, existing ones are
    updated when their reasons, risk or number changed (a regeneration of an unchanged concept
    writes no items)."""
    overleg = Overleg.objects.select_for_update().get(pk=overleg.pk)
    if overleg.status not in (OverlegStatus.GEPLAND, OverlegStatus.AGENDA_CONCEPT):
        return GenerationResult(False, overleg.agendapunten.filter(verwijderd=False).count())
    found = candidates(overleg, now=now)
    casussen = {
        casus.pk: casus
        for casus in Casus.objects.filter(pk__in=found).only("pk", "referentie", "risico")
    }
    items = list(overleg.agendapunten.select_related("casus"))
    existing = {item.casus_id: item for item in items if item.soort == AgendapuntSoort.CASUS}

    stale = {
        item.pk
        for casus_id, item in existing.items()
        if casus_id not in found and not item.handmatig_toegevoegd and not item.verwijderd
    }
    if stale:
        Agendapunt.objects.filter(pk__in=stale).delete()
        items = [item for item in items if item.pk not in stale]
    dirty: dict[int, Agendapunt] = {}
    new: list[Agendapunt] = []
    for casus_id, reasons in found.items():
        ordered = _ordered_reasons(reasons)
        casus = casussen[casus_id]
        item = existing.get(casus_id)
        if item is None:
            new.append(
                Agendapunt(
                    overleg=overleg,
                    soort=AgendapuntSoort.CASUS,
                    casus=casus,
                    redenen=ordered,
                    risico_bij_agendering=casus.risico,
                )
            )
        elif (item.redenen, item.risico_bij_agendering) != (ordered, casus.risico):
            item.redenen = ordered
            item.risico_bij_agendering = casus.risico
            dirty[item.pk] = item
    present = {item.soort for item in items}
    new += [
        Agendapunt(overleg=overleg, soort=soort) for soort in FIXED_SECTIONS if soort not in present
    ]
    # Number before writing: the new items (no pk yet) are inserted in their place.
    dirty.update({item.pk: item for item in _place(items + new) if item.pk is not None})
    Agendapunt.objects.bulk_create(new)
    if dirty:
        Agendapunt.objects.bulk_update(
            list(dirty.values()), ["redenen", "risico_bij_agendering", "volgorde"]
        )
    overleg.status = OverlegStatus.AGENDA_CONCEPT
    overleg.agenda_gegenereerd_op = timezone.now()
    overleg.save(update_fields=["status", "agenda_gegenereerd_op"])
    event_record(
        action=AuditAction.AGENDA_GENERATED,
        actor=actor,
        object_type="overleg",
        object_ref=f"O{overleg.pk}",
    )
    return GenerationResult(True, sum(1 for item in items + new if not item.verwijderd))


def _rule_key(item: Agendapunt) -> tuple[int, int, str]:
    reasons = item.redenen or [Reden.VOORSTEL_AFSLUITEN]
    return (
        RISICO_RANK.get(Risico(item.risico_bij_agendering), 9) if item.risico_bij_agendering else 9,
        min(REDEN_PRIORITEIT.get(reason, 99) for reason in reasons),
        item.casus.referentie if item.casus else "",
    )


def _place(items: list[Agendapunt]) -> list[Agendapunt]:
    """Number the items in memory and return those whose number changed.

    Opening first, rondvraag last, trends before it; the casus items by risk then reason —
    unless the chair reordered, then the chair's order stays and new items (number 0) follow
    it. Removed items get number 0."""
    removed = [item for item in items if item.verwijderd]
    shown = [item for item in items if not item.verwijderd]
    fixed = {item.soort: item for item in shown if item.soort != AgendapuntSoort.CASUS}
    casus_items = [item for item in shown if item.soort == AgendapuntSoort.CASUS]
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
    changed = []
    for position, item in enumerate(ordered, start=1):
        if item.volgorde != position:
            item.volgorde = position
            changed.append(item)
    for item in removed:
        if item.volgorde:
            item.volgorde = 0
            changed.append(item)
    return changed


def _number(overleg: Overleg) -> None:
    """Renumber a meeting's agenda after the chair's edits (see _place)."""
    changed = _place(list(overleg.agendapunten.select_related("casus")))
    if changed:
        Agendapunt.objects.bulk_update(changed, ["volgorde"])
