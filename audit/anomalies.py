"""Anomaly flags for the FG: bulk reading, reading case content off hours, many denials, wrong
one-time codes (bursts and locks), and changes of role (above all approved access to case
content).

Pure reads over the log (no writes, no content): each detector takes a period and returns flags
naming the user, when and how many. The thresholds are module constants so the FG's policy can
be read (and changed) in one place.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    Func,
    Max,
    Min,
    Q,
    QuerySet,
    ValueRange,
    Window,
)
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction, AuditEvent
from audit.selectors import AMSTERDAM, require_audit_view
from partners.models import User

# Bulk reading: more than this many read events by one user within one (sliding) hour.
BULK_READ_THRESHOLD = 50
BULK_READ_WINDOW = datetime.timedelta(hours=1)
# Off hours: reading case content outside [07:00, 19:00) Europe/Amsterdam, or on a weekend.
OFFICE_HOURS_START = 7
OFFICE_HOURS_END = 19  # 19:00:00 itself is off hours
WEEKEND_ISO_DAYS = (6, 7)  # Saturday, Sunday
# Many denials: more than this many access.denied events for one user within one (local) day.
DENIALS_PER_DAY_THRESHOLD = 5
# Wrong one-time codes: more than this many auth.mfa_failed events for one user within one
# (sliding) hour; and every lock of the code step (auth.mfa_lockout), one flag per user per day.
MFA_FAILED_THRESHOLD = 3
MFA_FAILED_WINDOW = datetime.timedelta(hours=1)
# How far back the overview looks.
ANOMALY_PERIOD = datetime.timedelta(days=7)

BULK_READING = "bulk_reading"
OFF_HOURS = "off_hours"
MANY_DENIALS = "many_denials"
MFA_FAILURES = "mfa_failures"
MFA_LOCKOUT = "mfa_lockout"
ROLE_CHANGED = "role_changed"
CONTENT_ACCESS_GRANTED = "content_access_granted"
KIND_LABELS: dict[str, Promise] = {
    BULK_READING: _("Veel inzage in korte tijd"),
    OFF_HOURS: _("Inzage buiten kantoortijden"),
    MANY_DENIALS: _("Veel geweigerde toegang"),
    MFA_FAILURES: _("Veel onjuiste eenmalige codes"),
    MFA_LOCKOUT: _("Code-stap geblokkeerd"),
    ROLE_CHANGED: _("Functie of organisatie gewijzigd"),
    CONTENT_ACCESS_GRANTED: _("Toegang tot casusinhoud goedgekeurd"),
}
# Role changes are flagged for the user whose role changed (the event's object), not for the
# beheerder who made the change (the event's actor; the event log shows who).
ROLE_CHANGE_KINDS: dict[str, str] = {
    AuditAction.USER_ROLE_CHANGED: ROLE_CHANGED,
    AuditAction.USER_ROLE_CHANGE_APPROVED: CONTENT_ACCESS_GRANTED,
}

# Reads of case content that count towards bulk reading: opening an object (".read"). Rows shown
# in list pages (".listed") are left out: a coordinator paging through the casus list would
# otherwise be flagged for ordinary work (25 rows a page).
READ_Q = Q(action__endswith=".read")
CONTENT_READ_Q = Q(action__endswith=".read")


@dataclass(frozen=True)
class AnomalyFlag:
    kind: str
    actor_id: int
    username: str
    start: datetime.datetime
    end: datetime.datetime
    count: int

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.start, AMSTERDAM).date()


class EpochMicroseconds(Func):
    """A datetime column as whole microseconds since 1970 (UTC), exact on both databases: the
    ordering of the sliding windows below (a RANGE frame needs a number)."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC): whole seconds, then the fraction
        # (strftime is given the seconds only: it would round the fraction to milliseconds).
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER) * 1000000"
                " + CAST(substr(%(expressions)s || '.000000', 21, 6) AS INTEGER))"
            ),
            **extra,
        )


class FollowingRange(ValueRange):
    """RANGE BETWEEN CURRENT ROW AND <n> FOLLOWING: PostgreSQL (11+) and SQLite (3.28+) both
    take a numeric offset, but Django's PostgreSQL backend still refuses one, so the frame
    renders itself (``end`` is a whole number, never user input)."""

    def window_frame_start_end(  # type: ignore[override]  # the stubs say int, Django gives SQL
        self, connection: Any, start: Any, end: Any
    ) -> tuple[str, str]:
        return "CURRENT ROW", f"{int(end)} FOLLOWING"


def _micros(delta: datetime.timedelta) -> int:
    return delta // datetime.timedelta(microseconds=1)


def _burst_flags(
    kind: str, events: QuerySet[AuditEvent], threshold: int, window: datetime.timedelta
) -> list[AnomalyFlag]:
    """Non-overlapping windows [t, t + window) per user holding more than ``threshold`` events.

    Each burst starts at the first event of a window that crosses the threshold and takes every
    event within ``window`` of that start; the search goes on after the burst's last event.

    The database counts, for every event, the events of the same user in [t, t + window) (a
    window function over a RANGE frame) and hands back only the events whose window is over
    the threshold (none in ordinary work); of those the bursts are picked in one linear pass
    here (a burst starts at the first such event at least ``window`` after the previous start).
    No list of all events in Python, nothing quadratic."""
    moment = EpochMicroseconds("occurred_at")
    frame = FollowingRange(start=0, end=_micros(window) - 1)  # [t, t + window)

    def over_window(aggregate: Count | Max) -> Window:
        return Window(aggregate, partition_by=[F("actor_id")], order_by=moment.asc(), frame=frame)

    rows = (
        events.filter(actor__isnull=False)
        .annotate(
            moment=moment,
            in_window=over_window(Count("id")),
            window_end=over_window(Max("occurred_at")),
        )
        .filter(in_window__gt=threshold)
        .order_by("actor_id", "moment", "id")
        .values_list(
            "actor_id", "actor__username", "occurred_at", "window_end", "in_window", "moment"
        )
    )
    flags: list[AnomalyFlag] = []
    current: int | None = None
    free_from = 0  # no new burst of the current user starts before this moment
    for actor_id, username, start, end, count, at in rows:
        if actor_id != current:
            current, free_from = actor_id, at
        if at < free_from:
            continue  # inside the previous burst of this user
        flags.append(AnomalyFlag(kind, actor_id, username, start, end, count))
        free_from = at + _micros(window)
    return flags


def bulk_reading(
    *,
    since: datetime.datetime,
    until: datetime.datetime,
    threshold: int = BULK_READ_THRESHOLD,
    window: datetime.timedelta = BULK_READ_WINDOW,
) -> list[AnomalyFlag]:
    reads = AuditEvent.objects.filter(READ_Q, occurred_at__gte=since, occurred_at__lt=until)
    return _burst_flags(BULK_READING, reads, threshold, window)


def off_hours_reads(*, since: datetime.datetime, until: datetime.datetime) -> list[AnomalyFlag]:
    """Reads of case content outside office hours, one flag per user per (Amsterdam) day."""
    rows = (
        AuditEvent.objects.filter(
            CONTENT_READ_Q, actor__isnull=False, occurred_at__gte=since, occurred_at__lt=until
        )
        .annotate(
            local_hour=ExtractHour("occurred_at", tzinfo=AMSTERDAM),
            local_weekday=ExtractIsoWeekDay("occurred_at", tzinfo=AMSTERDAM),
        )
        .filter(
            Q(local_hour__lt=OFFICE_HOURS_START)
            | Q(local_hour__gte=OFFICE_HOURS_END)
            | Q(local_weekday__in=WEEKEND_ISO_DAYS)
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=AMSTERDAM))
        .values("actor_id", "actor__username", "day")
        .annotate(count=Count("id"), start=Min("occurred_at"), end=Max("occurred_at"))
        .order_by("day", "actor__username")
    )
    return [_flag(OFF_HOURS, row) for row in rows]


def many_denials(
    *,
    since: datetime.datetime,
    until: datetime.datetime,
    threshold: int = DENIALS_PER_DAY_THRESHOLD,
) -> list[AnomalyFlag]:
    rows = (
        AuditEvent.objects.filter(
            action=AuditAction.ACCESS_DENIED,
            actor__isnull=False,
            occurred_at__gte=since,
            occurred_at__lt=until,
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=AMSTERDAM))
        .values("actor_id", "actor__username", "day")
        .annotate(count=Count("id"), start=Min("occurred_at"), end=Max("occurred_at"))
        .filter(count__gt=threshold)
        .order_by("day", "actor__username")
    )
    return [_flag(MANY_DENIALS, row) for row in rows]


def mfa_failures(
    *,
    since: datetime.datetime,
    until: datetime.datetime,
    threshold: int = MFA_FAILED_THRESHOLD,
    window: datetime.timedelta = MFA_FAILED_WINDOW,
) -> list[AnomalyFlag]:
    """Bursts of wrong one-time codes: someone may have the password and be guessing the code."""
    failures = AuditEvent.objects.filter(
        action=AuditAction.MFA_FAILED, occurred_at__gte=since, occurred_at__lt=until
    )
    return _burst_flags(MFA_FAILURES, failures, threshold, window)


def mfa_lockouts(*, since: datetime.datetime, until: datetime.datetime) -> list[AnomalyFlag]:
    """Every lock of the code step, one flag per user per (Amsterdam) day."""
    rows = (
        AuditEvent.objects.filter(
            action=AuditAction.MFA_LOCKOUT,
            actor__isnull=False,
            occurred_at__gte=since,
            occurred_at__lt=until,
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=AMSTERDAM))
        .values("actor_id", "actor__username", "day")
        .annotate(count=Count("id"), start=Min("occurred_at"), end=Max("occurred_at"))
        .order_by("day", "actor__username")
    )
    return [_flag(MFA_LOCKOUT, row) for row in rows]


def role_changes(*, since: datetime.datetime, until: datetime.datetime) -> list[AnomalyFlag]:
    """Every change of role or partner, and every approved access to case content (four eyes),
    one flag per change, named after the user whose role changed."""
    events = list(
        AuditEvent.objects.filter(
            action__in=list(ROLE_CHANGE_KINDS),
            object_type="user",
            occurred_at__gte=since,
            occurred_at__lt=until,
        )
        .order_by("occurred_at", "id")
        .values_list("action", "object_ref", "occurred_at")
    )
    subject_ids = {int(ref) for _, ref, _ in events if ref.isdigit()}
    usernames = dict(User.objects.filter(pk__in=subject_ids).values_list("pk", "username"))
    return [
        AnomalyFlag(ROLE_CHANGE_KINDS[action], int(ref), usernames[int(ref)], moment, moment, 1)
        for action, ref, moment in events
        if ref.isdigit() and int(ref) in usernames
    ]


def _flag(kind: str, row: Mapping[str, Any]) -> AnomalyFlag:
    return AnomalyFlag(
        kind, row["actor_id"], row["actor__username"], row["start"], row["end"], row["count"]
    )


def anomaly_flags_for(
    *, user: User | AnonymousUser, now: datetime.datetime | None = None
) -> list[AnomalyFlag]:
    """Every flag of the last ANOMALY_PERIOD, latest first (for the FG's overview)."""
    require_audit_view(user)
    until = now or timezone.now()
    since = until - ANOMALY_PERIOD
    flags = [
        *bulk_reading(since=since, until=until),
        *off_hours_reads(since=since, until=until),
        *many_denials(since=since, until=until),
        *mfa_failures(since=since, until=until),
        *mfa_lockouts(since=since, until=until),
        *role_changes(since=since, until=until),
    ]
    return sorted(flags, key=lambda flag: flag.start, reverse=True)
