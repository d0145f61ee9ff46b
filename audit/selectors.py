"""Reads of the audit log: chain verification, the chain head (the external anchor), and the
FG's views of the log (permission-checked)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from audit.chain import VerificationResult, verify_canonical_rows
from audit.checkpoints import CheckpointCheck, checkpoints_verify
from audit.models import GENESIS_HASH, AuditAction, AuditAnchor, AuditBlock, AuditEvent, Outcome
from audit.sealing import block_hash, merkle_root, seal_all, sealed_head, unsealed_overdue
from partners.models import Role, User
from partners.policy import Permission, has_permission

# The canonical form of audit.chain.canonical(), built by the database itself so verification
# only hashes (the Python form stays the definition; a test keeps both identical). Rows come in
# chain order (the sealer's sequence number); unsealed events are not part of the chain yet.
CANONICAL_SQL = {
    "postgresql": """
        SELECT id,
               to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
               || chr(31) || action || chr(31) || outcome
               || chr(31) || coalesce(actor_id::text, '') || chr(31) || coalesce(actor_partner_id::text, '')
               || chr(31) || actor_role || chr(31) || coalesce(on_behalf_of_id::text, '')
               || chr(31) || purpose || chr(31) || object_type || chr(31) || object_ref
               || chr(31) || coalesce(replace(correlation_id::text, '-', ''), '')
               || chr(31) || coalesce(host(source_address), ''),
               previous_hash, hash, seq
        FROM audit_auditevent WHERE seq > %s ORDER BY seq
    """,
    "sqlite": """
        SELECT id,
               replace(CASE WHEN length(occurred_at) = 19 THEN occurred_at || '.000000'
                            ELSE occurred_at END, ' ', 'T') || 'Z'
               || char(31) || action || char(31) || outcome
               || char(31) || coalesce(actor_id, '') || char(31) || coalesce(actor_partner_id, '')
               || char(31) || actor_role || char(31) || coalesce(on_behalf_of_id, '')
               || char(31) || purpose || char(31) || object_type || char(31) || object_ref
               || char(31) || coalesce(correlation_id, '') || char(31) || coalesce(source_address, ''),
               previous_hash, hash, seq
        FROM audit_auditevent WHERE seq > %s ORDER BY seq
    """,
}


# On PostgreSQL the whole check runs in the database (sha256() and lag() in C): it returns
# only the first event that does not link, does not match its hash, or leaves a gap.
POSTGRES_FIRST_BREAK_SQL = f"""
    WITH chain AS (
        SELECT id, seq, previous_hash, hash,
               coalesce(lag(hash) OVER (ORDER BY seq), %s) AS expected_previous,
               coalesce(lag(seq) OVER (ORDER BY seq), %s) + 1 AS expected_seq,
               encode(sha256(convert_to(previous_hash || chr(30) || canonical, 'UTF8')), 'hex')
                   AS recomputed
        FROM ({CANONICAL_SQL["postgresql"].replace("ORDER BY seq", "")})
            AS rows (id, canonical, previous_hash, hash, seq)
    )
    SELECT id, seq,
           CASE WHEN seq <> expected_seq THEN 'a sequence number is missing'
                WHEN previous_hash <> expected_previous THEN 'previous_hash does not link'
                ELSE 'content does not match its hash' END,
           expected_previous
    FROM chain
    WHERE previous_hash <> expected_previous OR recomputed <> hash OR seq <> expected_seq
    ORDER BY seq LIMIT 1
"""  # noqa: S608 - constant SQL built from constants, no input  # nosec B608


def _verify_in_postgres(after_seq: int, start: str) -> VerificationResult:
    with connection.cursor() as cursor:
        cursor.execute(POSTGRES_FIRST_BREAK_SQL, [start, after_seq, after_seq])
        broken = cursor.fetchone()
        if broken is not None:
            broken_id, broken_seq, reason, head = broken
            cursor.execute(
                "SELECT count(*) FROM audit_auditevent WHERE seq > %s AND seq < %s",
                [after_seq, broken_seq],
            )
            return VerificationResult(cursor.fetchone()[0], head, int(broken_id), reason)
        cursor.execute(
            "SELECT count(*), (SELECT hash FROM audit_auditevent WHERE seq > %s "
            "ORDER BY seq DESC LIMIT 1) FROM audit_auditevent WHERE seq > %s",
            [after_seq, after_seq],
        )
        count, head = cursor.fetchone()
        return VerificationResult(int(count), head or start)


def _canonical_rows(after_seq: int, chunk_size: int) -> Iterator[tuple[Any, ...]]:
    if connection.vendor == "postgresql":
        # A server-side cursor streams the rows: memory stays flat whatever the log's size.
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(CANONICAL_SQL["postgresql"], [after_seq])
            while batch := cursor.fetchmany(chunk_size):
                yield from batch
        return
    with connection.cursor() as cursor:
        cursor.execute(CANONICAL_SQL["sqlite"], [after_seq])
        while batch := cursor.fetchmany(chunk_size):
            yield from batch


def _anchor() -> tuple[int, str]:
    anchor = AuditAnchor.objects.order_by("-purged_through_seq").first()
    return (anchor.purged_through_seq, anchor.last_hash) if anchor else (0, GENESIS_HASH)


def chain_verify(*, chunk_size: int = 20_000) -> VerificationResult:
    """Verify the sealed chain from the genesis, or from the anchor of the last retention purge."""
    after_seq, start = _anchor()
    if connection.vendor == "postgresql":
        return _verify_in_postgres(after_seq, start)
    return verify_canonical_rows(
        _canonical_rows(after_seq, chunk_size), start=start, after=after_seq
    )


@dataclass(frozen=True)
class BlockVerification:
    checked: int
    broken_block: int | None = None  # first sequence number of the first bad block
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_block is None


def blocks_verify() -> BlockVerification:
    """Every block links to the one before and covers the next sequence numbers; where its
    events are still there, its Merkle root is theirs."""
    after_seq, _start = _anchor()
    previous_hash, previous_last = GENESIS_HASH, None
    checked = 0
    blocks = AuditBlock.objects.order_by("first_seq").values_list(
        "first_seq", "last_seq", "merkle_root", "previous_hash", "hash"
    )
    for first_seq, last_seq, root, linked, stored in blocks.iterator(chunk_size=2_000):
        if linked != previous_hash:
            return BlockVerification(checked, first_seq, "block does not link")
        if previous_last is not None and first_seq != previous_last + 1:
            return BlockVerification(checked, first_seq, "blocks leave a gap")
        if block_hash(linked, first_seq, last_seq, root) != stored:
            return BlockVerification(checked, first_seq, "block does not match its hash")
        if first_seq > after_seq:
            leaves = list(
                AuditEvent.objects.filter(seq__gte=first_seq, seq__lte=last_seq)
                .order_by("seq")
                .values_list("hash", flat=True)
            )
            if len(leaves) != last_seq - first_seq + 1 or merkle_root(leaves) != root:
                return BlockVerification(checked, first_seq, "events do not match the block")
        previous_hash, previous_last = stored, last_seq
        checked += 1
    head = sealed_head()
    if previous_last is not None and previous_last != head.seq:
        return BlockVerification(checked, previous_last, "sealed events outside any block")
    return BlockVerification(checked)


@dataclass(frozen=True)
class ChainReport:
    """Everything ``audit_verify`` and the FG's page check: the chain, its blocks, the signed
    checkpoints, and whether the sealer keeps up."""

    chain: VerificationResult
    blocks: BlockVerification
    checkpoints: list[CheckpointCheck]
    unsealed_overdue: int

    @property
    def latest_checkpoint(self) -> CheckpointCheck | None:
        return self.checkpoints[0] if self.checkpoints else None

    @property
    def problems(self) -> list[str]:
        found = []
        if not self.chain.intact:
            found.append(
                f"keten verbroken bij gebeurtenis #{self.chain.broken_id} ({self.chain.reason})"
            )
        if not self.blocks.intact:
            found.append(
                f"blok vanaf volgnummer {self.blocks.broken_block} klopt niet ({self.blocks.reason})"
            )
        found += [
            f"controlepunt {check.name}: {check.problem}"
            for check in self.checkpoints
            if not check.holds
        ]
        if self.unsealed_overdue:
            found.append(
                f"{self.unsealed_overdue} gebeurtenissen al langer dan een minuut niet verzegeld "
                "(draait de verzegelaar?)"
            )
        return found

    @property
    def intact(self) -> bool:
        return not self.problems


def chain_report(*, chunk_size: int = 20_000) -> ChainReport:
    return ChainReport(
        chain=chain_verify(chunk_size=chunk_size),
        blocks=blocks_verify(),
        checkpoints=checkpoints_verify(),
        unsealed_overdue=unsealed_overdue(),
    )


def chain_head(*, seal: bool = False) -> tuple[int, str]:
    """(sequence number of the last sealed event, its hash): printed in minutes and shown to the
    FG as an anchor. With ``seal`` what is pending is sealed first, so the head covers every
    committed event and the caller's own (the minutes name the event of their own reading)."""
    if seal:
        seal_all()
    head = sealed_head()
    return head.seq, head.hash


# --- The FG's views of the log (PRODUCT.md §3, §5: privacy_officer only) ------------------------
# Every reader below checks Permission.AUDIT_VIEW itself (404 otherwise), so no caller can hand
# the log to another role by mistake. The log holds references only, so neither can these.

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECENT_EVENTS_LIMIT = 100
# A case reference as it appears in URLs (the same shape casus uses; audit does not import casus).
REFERENTIE_PATTERN = re.compile(r"^[A-Za-z0-9\-]{1,20}$")
# Object types whose references are "<casus referentie>:<part>", e.g. "K-2026-0001:B12".
CASUS_PART_TYPES = ("bijdrage", "afspraak", "partner")
ROLE_LABELS: dict[str, str | Promise] = dict(Role.choices)
# Actions that are an access denial or a failed sign-in (the denied-access report).
DENIED_Q = Q(outcome=Outcome.DENIED) | Q(action=AuditAction.LOGIN_FAILED)
# Every object type the code records: a closed set (tests/audit/test_fg_performance.py reads
# the code and fails on a type missing here). The FG's filter offers these, so the page never
# has to ask the log which types occur in it.
OBJECT_TYPES = (
    "afspraak",
    "auditlog",
    "bijdrage",
    "casus",
    "overleg",
    "partner",
    "retentie",
    "signaal",
    "trends",
    "user",
    "verwerkingsregister",
    "verzoek",
)
# The event list: a page of events, and a count that stops at a cap (a count of millions of
# rows costs as much as reading them all).
EVENT_PAGE_SIZE = 50
EVENT_COUNT_CAP = 1000


def require_audit_view(user: User | AnonymousUser) -> None:
    """404 for anyone but the FG (an anonymous request included)."""
    if not has_permission(user, Permission.AUDIT_VIEW):
        raise Http404


def period_bounds(
    first_day: datetime.date | None, last_day: datetime.date | None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """Whole days in Europe/Amsterdam -> [since, until) in aware datetimes (DST-safe)."""
    since = datetime.datetime.combine(first_day, datetime.time(), AMSTERDAM) if first_day else None
    until = (
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(), AMSTERDAM)
        if last_day
        else None
    )
    return since, until


def sub_reference_q(referentie: str) -> Q:
    """The reference itself and its parts ("K-2026-0001" and "K-2026-0001:B12")."""
    return Q(object_ref=referentie) | Q(object_ref__startswith=f"{referentie}:")


@dataclass(frozen=True)
class EventCriteria:
    username: str = ""
    partner_id: int | None = None
    object_type: str = ""
    referentie: str = ""
    action: str = ""
    outcome: str = ""
    since: datetime.datetime | None = None  # included
    until: datetime.datetime | None = None  # excluded


def _filtered(queryset: QuerySet[AuditEvent], criteria: EventCriteria) -> QuerySet[AuditEvent]:
    if criteria.username:
        queryset = queryset.filter(actor__username=criteria.username)
    if criteria.partner_id is not None:
        queryset = queryset.filter(actor_partner_id=criteria.partner_id)
    if criteria.object_type:
        queryset = queryset.filter(object_type=criteria.object_type)
    if criteria.referentie:
        queryset = queryset.filter(sub_reference_q(criteria.referentie))
    if criteria.action:
        queryset = queryset.filter(action=criteria.action)
    if criteria.outcome:
        queryset = queryset.filter(outcome=criteria.outcome)
    if criteria.since is not None:
        queryset = queryset.filter(occurred_at__gte=criteria.since)
    if criteria.until is not None:
        queryset = queryset.filter(occurred_at__lt=criteria.until)
    return queryset


def event_list_for(*, user: User | AnonymousUser, criteria: EventCriteria) -> QuerySet[AuditEvent]:
    """The log, newest first, with who did it in the same query (no query per row)."""
    require_audit_view(user)
    return _filtered(
        AuditEvent.objects.select_related("actor", "actor_partner").order_by("-id"), criteria
    )


@dataclass(frozen=True)
class EventPage:
    """One page of the event list, newest first, with keyset cursors: ``older`` is the id to
    pass as ``voor`` (events before it), ``newer`` the id to pass as ``na`` (events after it);
    None when there is no such page. ``count`` is the number of matching events, at most
    EVENT_COUNT_CAP (``capped``: there are more)."""

    object_list: list[AuditEvent]
    older: int | None
    newer: int | None
    count: int
    capped: bool

    @property
    def has_other_pages(self) -> bool:
        return self.older is not None or self.newer is not None

    @property
    def count_cap(self) -> int:
        return EVENT_COUNT_CAP


def event_page_for(
    *,
    user: User | AnonymousUser,
    criteria: EventCriteria,
    before: int | None = None,
    after: int | None = None,
    size: int = EVENT_PAGE_SIZE,
) -> EventPage:
    """A page of the log by keyset on the event id (no OFFSET, no count of all rows): the
    newest events (no cursor), those older than ``before``, or those newer than ``after``.
    A constant number of queries, however long the log and however deep the page."""
    queryset = event_list_for(user=user, criteria=criteria)
    counted = _filtered(AuditEvent.objects.order_by(), criteria)[: EVENT_COUNT_CAP + 1].count()
    count, capped = min(counted, EVENT_COUNT_CAP), counted > EVENT_COUNT_CAP
    if after is not None and before is None:
        rows = list(queryset.filter(id__gt=after).order_by("id")[: size + 1])
        if len(rows) > size:  # there are newer ones still: a page in the middle
            rows = rows[:size][::-1]
            return EventPage(rows, older=rows[-1].pk, newer=rows[0].pk, count=count, capped=capped)
        # Back at the newest events: that is the first page (a full one).
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    rows = list(queryset[: size + 1])
    older = rows[size - 1].pk if len(rows) > size else None
    rows = rows[:size]
    newer = rows[0].pk if before is not None and rows else None
    return EventPage(rows, older=older, newer=newer, count=count, capped=capped)


@dataclass(frozen=True)
class EventRow:
    """One event as the FG pages and the export show it."""

    event: AuditEvent

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.event.actor_role, self.event.actor_role))

    @property
    def username(self) -> str:
        return self.event.actor.username if self.event.actor else ""

    @property
    def partner_name(self) -> str:
        return self.event.actor_partner.name if self.event.actor_partner else ""

    @property
    def correlation_short(self) -> str:
        return self.event.correlation_id.hex[:8] if self.event.correlation_id else ""

    @property
    def casus_referentie(self) -> str:
        """The case reference this event is about (for a link to its access overview), if any."""
        object_type, ref = self.event.object_type, self.event.object_ref
        if object_type in CASUS_PART_TYPES and ":" in ref:
            ref = ref.split(":", 1)[0]
        elif object_type != "casus":
            return ""
        return ref if REFERENTIE_PATTERN.fullmatch(ref) else ""


def event_rows(events: Iterable[AuditEvent]) -> list[EventRow]:
    return [EventRow(event) for event in events]


@dataclass(frozen=True)
class AuditOverview:
    head_id: int
    head_hash: str
    last_verification: AuditEvent | None
    events_24h: int
    events_7d: int
    denied_7d: int


def latest_checkpoint_for(*, user: User | AnonymousUser) -> CheckpointCheck | None:
    """The newest signed checkpoint and whether the chain still holds it (the FG's overview)."""
    require_audit_view(user)
    checks = checkpoints_verify(count=1)
    return checks[0] if checks else None


def audit_overview_for(
    *, user: User | AnonymousUser, now: datetime.datetime | None = None
) -> AuditOverview:
    require_audit_view(user)
    now = now or timezone.now()
    head_id, head_hash = chain_head()
    counts = AuditEvent.objects.filter(occurred_at__gte=now - datetime.timedelta(days=7)).aggregate(
        week=Count("id"),
        day=Count("id", filter=Q(occurred_at__gte=now - datetime.timedelta(hours=24))),
        denied=Count("id", filter=Q(outcome=Outcome.DENIED)),
    )
    last_verification = (
        AuditEvent.objects.filter(action=AuditAction.AUDIT_VERIFIED)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return AuditOverview(
        head_id=head_id,
        head_hash=head_hash,
        last_verification=last_verification,
        events_24h=counts["day"],
        events_7d=counts["week"],
        denied_7d=counts["denied"],
    )


@dataclass
class ActionCount:
    action: str
    label: str
    count: int


@dataclass
class AccessSummary:
    """What one user (as partner and role at the time) did with one case reference."""

    actor_id: int | None
    username: str
    partner_name: str
    role_label: str
    first: datetime.datetime
    last: datetime.datetime
    total: int = 0
    actions: list[ActionCount] = field(default_factory=list)


def _action_label(code: str) -> str:
    try:
        return str(AuditAction(code).label)
    except ValueError:
        return code


def casus_access_for(*, user: User | AnonymousUser, referentie: str) -> list[AccessSummary]:
    """Who read or changed a case reference (and its parts), grouped per user, latest first.

    Works for any reference: the log keeps references after the case content is purged."""
    require_audit_view(user)
    rows = (
        AuditEvent.objects.filter(sub_reference_q(referentie))
        .values("actor_id", "actor__username", "actor_partner__name", "actor_role", "action")
        .annotate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by()
    )
    groups: dict[tuple[int | None, str | None, str], AccessSummary] = {}
    for row in rows:
        key = (row["actor_id"], row["actor_partner__name"], row["actor_role"])
        summary = groups.get(key)
        if summary is None:
            summary = groups[key] = AccessSummary(
                actor_id=row["actor_id"],
                username=row["actor__username"] or "",
                partner_name=row["actor_partner__name"] or "",
                role_label=str(ROLE_LABELS.get(row["actor_role"], row["actor_role"])),
                first=row["first"],
                last=row["last"],
            )
        summary.first = min(summary.first, row["first"])
        summary.last = max(summary.last, row["last"])
        summary.total += row["count"]
        summary.actions.append(
            ActionCount(row["action"], _action_label(row["action"]), row["count"])
        )
    for summary in groups.values():
        summary.actions.sort(key=lambda item: (-item.count, item.label))
    return sorted(groups.values(), key=lambda summary: summary.last, reverse=True)


@dataclass
class DayActivity:
    day: datetime.date
    total: int = 0
    actions: list[ActionCount] = field(default_factory=list)


@dataclass
class UserActivity:
    days: list[DayActivity]
    totals: list[ActionCount]
    recent: list[EventRow]


def audit_subject_for(*, user: User | AnonymousUser, pk: int) -> User:
    """A user whose activity the FG looks at (any user, active or not); 404 when unknown."""
    require_audit_view(user)
    subject = User.objects.select_related("partner").filter(pk=pk).first()
    if subject is None:
        raise Http404
    return subject


def user_activity_for(
    *,
    user: User | AnonymousUser,
    subject: User,
    since: datetime.datetime | None,
    until: datetime.datetime | None,
) -> UserActivity:
    """Counts per action per (Amsterdam) day and the latest events of one user in a period."""
    require_audit_view(user)
    events = _filtered(
        AuditEvent.objects.filter(actor_id=subject.pk), EventCriteria(since=since, until=until)
    )
    per_day = (
        events.annotate(day=TruncDate("occurred_at", tzinfo=AMSTERDAM))
        .values("day", "action")
        .annotate(count=Count("id"))
        .order_by("-day", "action")
    )
    days: dict[datetime.date, DayActivity] = {}
    totals: dict[str, int] = {}
    for row in per_day:
        day = days.setdefault(row["day"], DayActivity(row["day"]))
        day.total += row["count"]
        day.actions.append(ActionCount(row["action"], _action_label(row["action"]), row["count"]))
        totals[row["action"]] = totals.get(row["action"], 0) + row["count"]
    recent = events.select_related("actor", "actor_partner").order_by("-id")[:RECENT_EVENTS_LIMIT]
    return UserActivity(
        days=list(days.values()),
        totals=sorted(
            (ActionCount(code, _action_label(code), count) for code, count in totals.items()),
            key=lambda item: (-item.count, item.label),
        ),
        recent=event_rows(recent),
    )


@dataclass(frozen=True)
class DeniedCount:
    actor_id: int | None
    username: str
    partner_name: str
    role_label: str
    denied: int
    lockouts: int
    failed_logins: int
    total: int
    day: datetime.date | None = None  # None: the whole period


@dataclass(frozen=True)
class DeniedReport:
    per_user: list[DeniedCount]
    per_day: list[DeniedCount]


def denied_report_for(
    *, user: User | AnonymousUser, since: datetime.datetime | None, until: datetime.datetime | None
) -> DeniedReport:
    """Refused access (access.denied, auth.lockout) and failed sign-ins, per user and per day."""
    require_audit_view(user)
    events = _filtered(AuditEvent.objects.filter(DENIED_Q), EventCriteria(since=since, until=until))
    who = ("actor_id", "actor__username", "actor_partner__name", "actor_role")
    counts = {
        "denied": Count("id", filter=Q(action=AuditAction.ACCESS_DENIED)),
        "lockouts": Count("id", filter=Q(action=AuditAction.LOCKOUT)),
        "failed_logins": Count("id", filter=Q(action=AuditAction.LOGIN_FAILED)),
        "total": Count("id"),
    }

    def row_of(row: dict[str, Any]) -> DeniedCount:
        return DeniedCount(
            actor_id=row["actor_id"],
            username=row["actor__username"] or "",
            partner_name=row["actor_partner__name"] or "",
            role_label=str(ROLE_LABELS.get(row["actor_role"], row["actor_role"])),
            denied=row["denied"],
            lockouts=row["lockouts"],
            failed_logins=row["failed_logins"],
            total=row["total"],
            day=row.get("day"),
        )

    per_user = events.values(*who).annotate(**counts).order_by("-total", "actor__username")
    per_day = (
        events.annotate(day=TruncDate("occurred_at", tzinfo=AMSTERDAM))
        .values("day", *who)
        .annotate(**counts)
        .order_by("-day", "-total", "actor__username")
    )
    return DeniedReport([row_of(row) for row in per_user], [row_of(row) for row in per_day])
