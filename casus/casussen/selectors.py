"""Permission-checked reads of casussen, bijdragen, afspraken and the timeline. Missing and
forbidden are the same 404; reading case content writes an access event (a list page: one
event per row, in one insert).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from audit.models import AuditAction
from audit.services import ObjectRef, denied, event_record, events_record_bulk
from casus import policy
from casus.models import (
    Afspraak,
    Betrokkenheid,
    Bijdrage,
    Casus,
    Signaal,
    StatusWijziging,
)
from partners.models import Partner, User


def casus_list_for(
    *,
    user: User,
    status: str = "",
    risico: str = "",
    eigen_betrokkenheid: bool = False,
    zoek: str = "",
) -> QuerySet[Casus]:
    """The casussen the user may see, filtered; already permission-filtered in the database."""
    queryset = policy.visible_casussen(user)
    if status:
        queryset = queryset.filter(status=status)
    if risico:
        queryset = queryset.filter(risico=risico)
    if eigen_betrokkenheid:
        queryset = queryset.filter(
            Exists(
                Betrokkenheid.objects.filter(
                    casus=OuterRef("pk"), partner_id=user.partner_id, beeindigd_op__isnull=True
                )
            )
        )
    if zoek:
        queryset = queryset.filter(referentie__icontains=zoek.strip())
    return queryset.select_related("coordinator").prefetch_related(
        Prefetch(
            "betrokkenheden",
            queryset=Betrokkenheid.objects.filter(beeindigd_op__isnull=True).select_related(
                "partner"
            ),
            to_attr="actieve_betrokkenheden",
        )
    )


# --- Keyset pagination of the casus list (issue 17) ---------------------------------------------
#
# The list is ordered by (geopend_op, id), newest first (Casus.Meta.ordering, served by the
# index casus_geopend_id). A page starts after or before the (geopend_op, id) of a row: its
# cost does not depend on how deep the page is, unlike an OFFSET. The cursor is that pair,
# base64url-encoded: opaque in the address, and a forged one only moves the position within
# what the user may see anyway.

COUNT_CAP = 1000  # the list counts its rows up to here; beyond: "meer dan 1.000"


def casus_cursor(casus: Casus) -> str:
    moment = casus.geopend_op.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return base64.urlsafe_b64encode(f"{moment}|{casus.pk}".encode()).decode().rstrip("=")


def parse_casus_cursor(value: str) -> tuple[datetime, int] | None:
    """(geopend_op, id) of a cursor; None for anything that is not one."""
    if not value or len(value) > 64:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
        moment, pk = raw.split("|")
        parsed = datetime.strptime(moment, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
        number = int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if number < 1:
        return None
    return parsed, number


@dataclass(frozen=True)
class CasusPage:
    casussen: list[Casus]
    next_cursor: str | None  # ``na`` of the next page
    previous_cursor: str | None  # ``voor`` of the previous page
    count: int  # the rows of the whole list, at most COUNT_CAP
    count_capped: bool  # there are more than COUNT_CAP

    # The shape of a Django Page where templates and tests read one.
    @property
    def object_list(self) -> list[Casus]:
        return self.casussen

    @property
    def paginator(self) -> CasusPage:
        return self  # ``page.paginator.count``


def casus_page(
    queryset: QuerySet[Casus],
    *,
    size: int,
    na: tuple[datetime, int] | None = None,
    voor: tuple[datetime, int] | None = None,
) -> CasusPage:
    """One page of a casus list (``casus_list_for``): the first, the one after the row ``na``
    or the one before the row ``voor``; two queries (plus the list's prefetch) wherever it is."""
    counted = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    if voor is not None:
        moment, pk = voor
        rows = list(
            queryset.filter(
                Q(geopend_op__gt=moment) | Q(geopend_op=moment, pk__gt=pk), geopend_op__gte=moment
            ).order_by("geopend_op", "id")[: size + 1]
        )
        has_more_before = len(rows) > size
        casussen = list(reversed(rows[:size]))
        previous_cursor = casus_cursor(casussen[0]) if has_more_before else None
        next_cursor = casus_cursor(casussen[-1]) if casussen else None
    else:
        if na is not None:
            moment, pk = na
            queryset = queryset.filter(
                Q(geopend_op__lt=moment) | Q(geopend_op=moment, pk__lt=pk), geopend_op__lte=moment
            )
        rows = list(queryset.order_by("-geopend_op", "-id")[: size + 1])
        casussen = rows[:size]
        next_cursor = casus_cursor(casussen[-1]) if len(rows) > size else None
        previous_cursor = casus_cursor(casussen[0]) if na is not None and casussen else None
    return CasusPage(
        casussen=casussen,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        count=min(counted, COUNT_CAP),
        count_capped=counted > COUNT_CAP,
    )


def casussen_shown(*, user: User, casussen: list[Casus]) -> None:
    """Record that these casussen were shown to the user (one insert for the whole page)."""
    if casussen:
        events_record_bulk(
            action=AuditAction.CASUS_LISTED,
            actor=user,
            objects=[ObjectRef("casus", casus.referentie) for casus in casussen],
        )


def casus_get_for(*, user: User, referentie: str, record_read: bool = True) -> Casus:
    """One casus the user may see, with its access event; 404 (and a denied event) otherwise.

    ``record_read=False`` for write requests that redirect without showing content (the
    write itself is audited by its service)."""
    casus = (
        policy.visible_casussen(user)
        .select_related("coordinator")
        .filter(referentie=referentie)
        .first()
    )
    if casus is None:
        raise denied(user, "casus", referentie)
    if record_read:
        event_record(
            action=AuditAction.CASUS_READ,
            actor=user,
            purpose=casus.grondslag,
            object_type="casus",
            object_ref=casus.referentie,
        )
    return casus


def betrokkenheden_for(*, casus: Casus) -> QuerySet[Betrokkenheid]:
    """Involvement of a casus the caller already obtained through casus_get_for."""
    return casus.betrokkenheden.select_related("partner", "toegevoegd_door", "beeindigd_door")


def actieve_partners_for(*, casus: Casus) -> list[Partner]:
    return [
        b.partner
        for b in casus.betrokkenheden.filter(beeindigd_op__isnull=True).select_related("partner")
    ]


def bijdragen_for(*, user: User, casus: Casus) -> QuerySet[Bijdrage]:
    return policy.visible_bijdragen(user, casus).select_related("auteur", "partner")


def bijdrage_get_for(*, user: User, casus: Casus, pk: int) -> Bijdrage:
    bijdrage = bijdragen_for(user=user, casus=casus).filter(pk=pk).first()
    if bijdrage is None:
        raise denied(user, "bijdrage", f"{casus.referentie}:B{pk}")
    return bijdrage


def afspraken_for(*, casus: Casus) -> QuerySet[Afspraak]:
    """Afspraken of a casus the caller already obtained through casus_get_for."""
    return casus.afspraken.select_related("partner")


def afspraak_list_for(*, user: User, open_only: bool = False) -> QuerySet[Afspraak]:
    queryset = policy.visible_afspraken(user).select_related("partner", "casus")
    if open_only:
        queryset = queryset.filter(uitkomst="open")
    return queryset


def afspraken_shown(*, user: User, afspraken: list[Afspraak]) -> None:
    """Afspraken shown in a list (the API's): one read event per afspraak, in one insert."""
    if afspraken:
        events_record_bulk(
            action=AuditAction.AFSPRAAK_READ,
            actor=user,
            objects=[
                ObjectRef("afspraak", f"{afspraak.casus.referentie}:A{afspraak.pk}")
                for afspraak in afspraken
            ],
        )


def afspraak_get_for(*, user: User, pk: int, casus: Casus | None = None) -> Afspraak:
    """One afspraak of a casus the user may see; through another casus it is a 404 (no IDOR)."""
    queryset = afspraak_list_for(user=user)
    if casus is not None:
        queryset = queryset.filter(casus=casus)
    afspraak = queryset.filter(pk=pk).first()
    if afspraak is None:
        raise denied(user, "afspraak", f"A{pk}")
    event_record(
        action=AuditAction.AFSPRAAK_READ,
        actor=user,
        purpose=afspraak.casus.grondslag,
        object_type="afspraak",
        object_ref=f"{afspraak.casus.referentie}:A{afspraak.pk}",
    )
    return afspraak


@dataclass(frozen=True)
class TimelineEntry:
    moment: datetime
    kind: str  # "bijdrage" | "afspraak" | "status" | "betrokkenheid" | "signaal"
    item: Bijdrage | Afspraak | StatusWijziging | Betrokkenheid | Signaal


def timeline_for(*, user: User, casus: Casus) -> list[TimelineEntry]:
    """One timeline of what the user may see in this casus, oldest first."""
    entries = [
        TimelineEntry(b.aangemaakt_op, "bijdrage", b) for b in bijdragen_for(user=user, casus=casus)
    ]
    entries += [TimelineEntry(a.aangemaakt_op, "afspraak", a) for a in afspraken_for(casus=casus)]
    entries += [
        TimelineEntry(s.op, "status", s)
        for s in StatusWijziging.objects.filter(casus=casus).select_related("door")
    ]
    entries += [
        TimelineEntry(b.toegevoegd_op, "betrokkenheid", b) for b in betrokkenheden_for(casus=casus)
    ]
    entries += [
        TimelineEntry(s.aangemaakt_op, "signaal", s)
        for s in policy.visible_signalen_of_casus(user, casus).select_related("partner", "auteur")
    ]
    return sorted(entries, key=lambda entry: (entry.moment, entry.kind))
