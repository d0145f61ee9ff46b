"""The trend tables: counts per period by source, sector, municipality and indicator, and
casussen by status, each year protected as a whole so overlapping queries cannot be differenced."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casus.models import (
    Bron,
    Casus,
    Gemeente,
    Indicator,
    Risico,
    Sector,
    Signaal,
    Status,
    Tombstone,
)
from casus.trends.periods import (
    JAAR,
    KWARTAAL,
    MAAND,
    Periode,
    Selectie,
    add_months,
    last_full_month,
)
from casus.trends.suppression import AGENDA_MAX_MONTHS, K_ANONYMITY, Cel, Equation, protect
from partners.models import User
from partners.policy import Permission, has_permission


@dataclass(frozen=True)
class Categorie:
    sleutel: str
    label: str | Promise
    optioneel: bool = False  # left out of a table when every cell shown is a published 0


@dataclass(frozen=True)
class TabelSpec:
    slug: str
    titel: str | Promise
    kop: str | Promise  # heading of the category column
    uitleg: str | Promise
    categorieen: tuple[Categorie, ...]
    totaal: str | None = None  # the cell key of the total, when the categories add up to one
    totaal_label: str | Promise = ""


SIGNALEN = "signalen"


CASUSSEN = "casussen"


AFGESLOTEN = f"status:{Status.AFGESLOTEN}"


OPEN_STATUSES = (Status.NIEUW, Status.IN_BEHANDELING, Status.MONITOREN)


def _categories(prefix: str, choices: Iterable[tuple[str, Any]]) -> tuple[Categorie, ...]:
    return tuple(Categorie(f"{prefix}:{value}", label) for value, label in choices)


SIGNAAL_TABELLEN: tuple[TabelSpec, ...] = (
    TabelSpec(
        "bron",
        _("Signalen per bron"),
        _("Bron"),
        _("Hoe het signaal binnenkwam."),
        _categories("bron", Bron.choices),
        SIGNALEN,
        _("Alle signalen"),
    ),
    TabelSpec(
        "sector",
        _("Signalen per sector"),
        _("Sector"),
        _("De sector waarin het signaal is waargenomen."),
        _categories("sector", Sector.choices),
        SIGNALEN,
        _("Alle signalen"),
    ),
    TabelSpec(
        "gemeente",
        _("Signalen per gemeente"),
        _("Gemeente"),
        _("De gemeente waar het signaal is waargenomen."),
        _categories("gemeente", Gemeente.choices),
        SIGNALEN,
        _("Alle signalen"),
    ),
)


CASUS_TABELLEN: tuple[TabelSpec, ...] = (
    TabelSpec(
        "status",
        _("Casussen per status"),
        _("Status"),
        _(
            "Casussen naar de maand waarin ze zijn geopend, met hun huidige status: de open "
            "statussen (nieuw, in behandeling, monitoren) tegenover afgesloten."
        ),
        _categories("status", Status.choices),
        CASUSSEN,
        _("Alle casussen"),
    ),
    TabelSpec(
        "uitkomst",
        _("Afgesloten casussen per uitkomst"),
        _("Uitkomst"),
        _(
            "Een casus heeft geen apart uitkomstveld. Als uitkomst telt het risico dat de casus "
            "had toen hij werd afgesloten, naar de maand waarin hij is geopend; de som is de "
            "kolom afgesloten van de tabel hierboven."
        ),
        (
            *_categories("uitkomst", Risico.choices),
            Categorie("uitkomst:onbekend", _("Risico onbekend"), optioneel=True),
        ),
        AFGESLOTEN,
        _("Alle afgesloten casussen"),
    ),
)


def _indicator_table(codes: Sequence[tuple[str, str]]) -> TabelSpec:
    return TabelSpec(
        "indicator",
        _("Signalen per indicator"),
        _("Indicator"),
        _(
            "Het aantal signalen waarin de indicator is aangevinkt (een signaal kan meer "
            "indicatoren hebben, dus er is geen totaal). Alle versies van de signalenlijst tellen "
            "mee, per code, met de omschrijving uit de nieuwste lijst die de code heeft."
        ),
        tuple(Categorie(f"indicator:{code}", label) for code, label in codes),
    )


CellKey = tuple[Periode, str]


Counts = Mapping[tuple[datetime.date, str], int]


def _protect_year(
    jaar: int, peil: datetime.date, specs: Sequence[TabelSpec], counts: Counts
) -> dict[CellKey, Cel]:
    """Every published cell of one calendar year (months, quarters, year) of a set of linked
    tables, protected as one block in publication order."""
    kolommen = list(
        dict.fromkeys(
            key
            for spec in specs
            for key in (
                *(c.sleutel for c in spec.categorieen),
                *([spec.totaal] if spec.totaal else []),
            )
        )
    )
    months = [Periode(datetime.date(jaar, m, 1), MAAND) for m in range(1, 13)]
    months = [p for p in months if p.start <= peil]
    if not months:
        return {}
    values: dict[CellKey, int] = {}
    equations: list[Equation[CellKey]] = []
    steps: list[list[CellKey]] = []

    def add_row(periode: Periode, row_values: Callable[[str], int]) -> list[CellKey]:
        keys = [(periode, kolom) for kolom in kolommen]
        for key in keys:
            values[key] = row_values(key[1])
        for spec in specs:
            if spec.totaal:
                parts = tuple((periode, c.sleutel) for c in spec.categorieen)
                equations.append(Equation((periode, spec.totaal), parts))
        return keys

    def add_aggregate(periode: Periode, components: Sequence[Periode]) -> list[CellKey]:
        keys = add_row(periode, lambda kolom: sum(values[(p, kolom)] for p in components))
        for kolom in kolommen:
            equations.append(Equation((periode, kolom), tuple((p, kolom) for p in components)))
        return keys

    quarters: list[Periode] = []

    def counted(month: Periode) -> Callable[[str], int]:
        return lambda kolom: counts.get((month.start, kolom), 0)

    for month in months:
        step = add_row(month, counted(month))
        if month.start.month % 3 == 0:
            quarter = Periode.containing(month.start, KWARTAAL)
            step += add_aggregate(quarter, months[month.start.month - 3 : month.start.month])
            quarters.append(quarter)
        if month.start.month == 12:
            year = Periode(datetime.date(jaar, 1, 1), JAAR)
            step += add_aggregate(year, quarters)
            equations.extend(
                Equation((year, kolom), tuple((m, kolom) for m in months)) for kolom in kolommen
            )
        steps.append(step)
    return protect(values, equations, steps=steps)


def _map_choice(value: str, choices: Collection[str], fallback: str) -> str:
    return value if value in choices else fallback


def _aware_month(month: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        month, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def _as_month(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


@dataclass
class _Data:
    signalen: dict[tuple[datetime.date, str], int] = field(default_factory=lambda: defaultdict(int))
    indicatoren: dict[tuple[datetime.date, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    casussen: dict[tuple[datetime.date, str], int] = field(default_factory=lambda: defaultdict(int))
    codes: list[tuple[str, str]] = field(default_factory=list)


def _count_signal(
    counts: dict[tuple[datetime.date, str], int], month: datetime.date, row: Mapping[str, Any]
) -> None:
    n = row["n"]
    counts[(month, f"bron:{_map_choice(row['bron'], Bron.values, Bron.OVERIG)}")] += n
    counts[(month, f"sector:{_map_choice(row['sector'], Sector.values, Sector.ONBEKEND)}")] += n
    counts[
        (month, f"gemeente:{_map_choice(row['gemeente'], Gemeente.values, Gemeente.ONBEKEND)}")
    ] += n
    counts[(month, SIGNALEN)] += n


def _count_casus(
    counts: dict[tuple[datetime.date, str], int], month: datetime.date, row: Mapping[str, Any]
) -> None:
    n = row["n"]
    # A tombstone keeps the status the casus had when it was purged (closed, as a rule); a value
    # that is no status counts as closed.
    status = _map_choice(row["status"], Status.values, Status.AFGESLOTEN)
    counts[(month, f"status:{status}")] += n
    counts[(month, CASUSSEN)] += n
    if status == Status.AFGESLOTEN:
        counts[(month, f"uitkomst:{_map_choice(row['risico'], Risico.values, 'onbekend')}")] += n


def _load(first: datetime.date, last: datetime.date, *, signals_only: bool = False) -> _Data:
    """All counts per month from ``first`` to ``last`` (first days of months, inclusive): a fixed
    number of aggregate queries, whatever the range or the amount of data."""
    data = _Data()
    end = add_months(last, 1)
    live = (
        Signaal.objects.filter(datum_waargenomen__gte=first, datum_waargenomen__lt=end)
        .annotate(maand=TruncMonth("datum_waargenomen"))
        .order_by()
        .values("maand", "bron", "sector", "gemeente")
        .annotate(n=Count("id"))
    )
    for live_row in live:
        _count_signal(data.signalen, _as_month(live_row["maand"]), live_row)
    tombstones = Tombstone.objects.filter(periode__gte=first, periode__lt=end)
    if signals_only:
        tombstones = tombstones.filter(soort="signaal")
    for tombstone in (
        tombstones.order_by()
        .values("soort", "periode", "bron", "sector", "gemeente", "risico", "status", "indicatoren")
        .annotate(n=Count("id"))
    ):
        month = _as_month(tombstone["periode"])
        if tombstone["soort"] == "signaal":
            _count_signal(data.signalen, month, tombstone)
            for code in set(tombstone["indicatoren"] or ()):
                data.indicatoren[(month, f"indicator:{code}")] += tombstone["n"]
        elif tombstone["soort"] == "casus":
            _count_casus(data.casussen, month, tombstone)
    if signals_only:
        return data
    links = (
        Signaal.indicatoren.through.objects.filter(
            signaal__datum_waargenomen__gte=first, signaal__datum_waargenomen__lt=end
        )
        .annotate(maand=TruncMonth("signaal__datum_waargenomen"))
        .order_by()
        .values("maand", "indicator__code")  # type: ignore[misc]  # stubs miss the annotation
        .annotate(n=Count("signaal_id", distinct=True))
    )
    for link in links:
        month = _as_month(link["maand"])
        data.indicatoren[(month, f"indicator:{link['indicator__code']}")] += link["n"]
    casussen = (
        Casus.objects.filter(geopend_op__gte=_aware_month(first), geopend_op__lt=_aware_month(end))
        .annotate(maand=TruncMonth("geopend_op"))
        .order_by()
        .values("maand", "status", "risico")
        .annotate(n=Count("id"))
    )
    for casus_row in casussen:
        _count_casus(data.casussen, _as_month(casus_row["maand"]), casus_row)
    # Every code of every list, the newest list first: its description wins.
    descriptions: dict[str, str] = {}
    for code, omschrijving in Indicator.objects.order_by(
        "-lijst__versie", "volgorde", "id"
    ).values_list("code", "omschrijving"):
        descriptions.setdefault(code, omschrijving)
    seen = {key.removeprefix("indicator:") for (_, key) in data.indicatoren}
    data.codes = list(descriptions.items()) + [
        (code, code) for code in sorted(seen - set(descriptions))
    ]
    return data


@dataclass(frozen=True)
class TrendRij:
    sleutel: str
    label: str | Promise
    cellen: tuple[Cel, ...]
    is_totaal: bool = False


@dataclass(frozen=True)
class TrendTabel:
    """One table as shown: a row per category (and a total row), a column per period."""

    slug: str
    titel: str | Promise
    kop: str | Promise
    uitleg: str | Promise
    perioden: tuple[Periode, ...]
    rijen: tuple[TrendRij, ...]
    totaal: TrendRij | None

    @property
    def alle_rijen(self) -> tuple[TrendRij, ...]:
        return (*self.rijen, self.totaal) if self.totaal else self.rijen


@dataclass(frozen=True)
class Trends:
    selectie: Selectie
    peil: datetime.date  # the last full month counted
    perioden: tuple[Periode, ...]
    tabellen: tuple[TrendTabel, ...]


def _published(
    years: Iterable[int], peil: datetime.date, specs: Sequence[TabelSpec], counts: Counts
) -> dict[CellKey, Cel]:
    cells: dict[CellKey, Cel] = {}
    for jaar in years:
        cells.update(_protect_year(jaar, peil, specs, counts))
    return cells


def _table(
    spec: TabelSpec,
    perioden: Sequence[Periode],
    cells: Mapping[CellKey, Cel],
    *,
    drop_zero_rows: bool = False,
) -> TrendTabel:
    rijen = []
    for categorie in spec.categorieen:
        row = tuple(cells[(p, categorie.sleutel)] for p in perioden)
        if (categorie.optioneel or drop_zero_rows) and all(c.waarde == 0 for c in row):
            continue  # nothing but published zeros: leaving the row out reveals nothing
        rijen.append(TrendRij(categorie.sleutel, categorie.label, row))
    totaal = None
    if spec.totaal:
        totaal = TrendRij(
            spec.totaal,
            spec.totaal_label,
            tuple(cells[(p, spec.totaal)] for p in perioden),
            is_totaal=True,
        )
    return TrendTabel(
        spec.slug, spec.titel, spec.kop, spec.uitleg, tuple(perioden), tuple(rijen), totaal
    )


def _years(perioden: Sequence[Periode]) -> range:
    return range(perioden[0].start.year, perioden[-1].start.year + 1)


def published_cells(
    *, jaren: Iterable[int], peil: datetime.date | None = None
) -> dict[str, dict[CellKey, Cel]]:
    """The fixed published cells of whole calendar years, per table slug, keyed by
    (period, category): everything any query can show is one of these, whatever it selects."""
    peil = peil or last_full_month()
    years = list(jaren)
    data = _load(datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 1))
    signals = _published(years, peil, SIGNAAL_TABELLEN, data.signalen)
    indicator_spec = _indicator_table(data.codes)
    indicators = _published(years, peil, [indicator_spec], data.indicatoren)
    casussen = _published(years, peil, CASUS_TABELLEN, data.casussen)
    result: dict[str, dict[CellKey, Cel]] = {}
    for spec, cells in (
        *((spec, signals) for spec in SIGNAAL_TABELLEN),
        (indicator_spec, indicators),
        *((spec, casussen) for spec in CASUS_TABELLEN),
    ):
        keys = {c.sleutel for c in spec.categorieen} | ({spec.totaal} if spec.totaal else set())
        result[spec.slug] = {key: cel for key, cel in cells.items() if key[1] in keys}
    return result


def _compute(selectie: Selectie, peil: datetime.date) -> Trends:
    perioden = selectie.perioden(peil)
    if not perioden:
        return Trends(selectie, peil, (), ())
    years = _years(perioden)
    # Whole years are loaded and protected: a cell never depends on what the query selected.
    data = _load(datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 1))
    signals = _published(years, peil, SIGNAAL_TABELLEN, data.signalen)
    indicator_spec = _indicator_table(data.codes)
    indicators = _published(years, peil, [indicator_spec], data.indicatoren)
    casussen = _published(years, peil, CASUS_TABELLEN, data.casussen)
    tabellen = (
        *(_table(spec, perioden, signals) for spec in SIGNAAL_TABELLEN),
        _table(indicator_spec, perioden, indicators),
        *(_table(spec, perioden, casussen) for spec in CASUS_TABELLEN),
    )
    return Trends(selectie, peil, tuple(perioden), tabellen)


def trends_for(
    *, user: User | AnonymousUser, selectie: Selectie, peil: datetime.date | None = None
) -> Trends:
    """The trend tables for a user who may see them (analist, voorzitter, zorgcoördinator);
    anyone else gets a 404. Counts only: no reference, no content, nothing per casus."""
    if not has_permission(user, Permission.TRENDS_VIEW):
        raise Http404
    return _compute(selectie, peil or last_full_month())


class AgendaTrends(TypedDict):
    """The agenda's trends section (casus/templates/casus/trends/includes/trends_summary.html)."""

    since: datetime.date
    until: datetime.date
    peil: datetime.date
    k: int
    maanden: list[Periode]
    tabellen: list[TrendTabel]


def trends_for_agenda(since: datetime.date, until: datetime.date) -> AgendaTrends:
    """Signals by sector and by gemeente for the agenda's trends section: the complete calendar
    months that overlap ``since``-``until`` (the previous meeting up to this one), with exactly
    the cells the trends page publishes for those months (the same protection; an arbitrary
    date range would be a new, unprotected cell), at most the last AGENDA_MAX_MONTHS of them
    (a first meeting has no previous one). Sectors and gemeenten without signals are left out.

    Returns ``{"since", "until", "peil", "k", "maanden", "tabellen"}`` (AgendaTrends).
    """
    peil = last_full_month()
    first = since.replace(day=1)
    maanden = [
        Periode(month, MAAND)
        for month in (add_months(first, i) for i in range(_month_span(first, until)))
        if month <= peil
    ][-AGENDA_MAX_MONTHS:]
    tabellen: list[TrendTabel] = []
    if maanden:
        years = _years(maanden)
        data = _load(
            datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 1), signals_only=True
        )
        cells = _published(years, peil, SIGNAAL_TABELLEN, data.signalen)
        by_slug = {spec.slug: spec for spec in SIGNAAL_TABELLEN}
        tabellen = [
            _table(by_slug["sector"], maanden, cells, drop_zero_rows=True),
            _table(by_slug["gemeente"], maanden, cells, drop_zero_rows=True),
        ]
    return {
        "since": since,
        "until": until,
        "peil": peil,
        "k": K_ANONYMITY,
        "maanden": maanden,
        "tabellen": tabellen,
    }


def _month_span(first: datetime.date, until: datetime.date) -> int:
    """How many months from ``first`` (a first day) up to and including the month of ``until``."""
    return max(0, (until.year - first.year) * 12 + until.month - first.month + 1)
