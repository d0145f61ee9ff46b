"""Trend statistics (PRODUCT.md §8): counts per period, k-anonymised, purged data included.

What is counted
    Signals per month of observation (``datum_waargenomen``) by bron, sector, gemeente and
    indicator; casussen per month of opening (``geopend_op``) by their current status, and the
    closed ones by outcome. There is no outcome field on a casus: the outcome used is the risk
    level the casus had when it was closed (acuut, hoog, midden, laag), so the outcome table is a
    breakdown of the "afgesloten" status. Both casus tables count by month of opening, which
    makes them one linked table that is protected as a whole (counting outcomes by month of
    closing would tie the two tables together only through all-time totals, which no per-period
    suppression can protect). A purged signal or casus keeps counting through its tombstone,
    in the month the tombstone records (the same month the live row counted in). An indicator
    count is the number of signals that ticked it, over all versions of the signalenlijst, by
    indicator code; the description shown is that of the newest list that has the code.

k-anonymity (K_ANONYMITY = 5)
    Every cell with 0 < n < 5 is suppressed and shown as "< 5" -- totals included. A zero is
    shown as "0": it describes no one, hiding it would hide exactly the shifts the statistics
    are for (a row with all but one category empty would have to be hidden whole), and it does
    not help differencing because every number shown is a fixed published cell (below). The
    price is that "< 5" reads as "1 to 4", and the rules below reckon with that strict reading
    (two "< 5" cells that must add up to 2 are both 1). A cell suppressed only to protect
    another one (a complementary suppression) is shown as a multiplication sign, "afgeschermd",
    which states no number, so no label ever says something false. The rules also assume a
    reader guesses that an afgeschermd cell is 5 or more (complements are counts, as a rule)
    whenever that guess is right. In the rare equation where even every member suppressed
    would still give a "< 5" away (four "< 5" parts under a "< 5" total: all four are 1), one
    of them is shown as afgeschermd instead.

Complementary suppression
    Cells are tied together by equations: a total is the sum of its parts (the categories of a
    period add up to the period's total; a quarter is the sum of its months and a year of its
    quarters and of its months; the closed casussen by outcome add up to the "afgesloten"
    status). :func:`protect` works on any such set of equations and, until nothing changes:

    1. per equation: if a suppressed member can be derived from the shown members -- exactly one
       member suppressed, or what the labels tell ("< 5" is 1-4, afgeschermd probably 5 or
       more) leaves one value only -- it suppresses one more member: the smallest shown part
       with a count, else the total. Never an empty part: a zero hides no one, and a category
       that is always empty is easily guessed, which would make it a complement that protects
       nothing;
    2. over all equations together: if exact linear algebra (rational Gauss-Jordan elimination)
       shows that some suppressed cell is fixed by a combination of equations (the classic
       "bridge" between two blocks of suppressed cells, which no row-or-column rule sees), it
       suppresses one more cell next to it.

    What is not covered: reasoning over several equations at once with the label ranges
    (integer programming), and a reader who reasons about how the complements were chosen
    (smallest first); the linear and per-equation checks are the ones statistical offices'
    audits make as well.

    :func:`suppress_table` is the plain 2-D form (a table with row and/or column totals).

Why differencing does not work (two overlapping queries)
    The published numbers do not depend on the query. Per calendar year, every table is
    computed and protected once as a block of fixed cells: the 12 months, the 4 quarters and
    the year, each with its categories and total, with the equations between them. A query
    (from month, to month, per maand/kwartaal/jaar) only chooses which of these fixed cells to
    show: periods are whole calendar months, quarters or years (never a partial period), and
    there is no "total over the selected range" -- the only totals are per period, which are
    cells of the block themselves. So Jan-Jun and Jan-May show the same January...May cells,
    one shows June as well; a query per quarter shows quarter cells that were protected
    together with their months (a quarter with one suppressed month gets a second suppressed
    cell, or is suppressed itself). Subtracting any two published numbers, from any two
    queries, is subtracting two cells of the same protected block, which the rules above make
    useless for recovering a suppressed cell.

    Only complete periods count: the running month (and a running quarter or year) is not
    shown, and a block is protected in calendar order, in which a month never changes the
    suppression of an earlier month: complements for a quarter (or the year) are only taken
    from its last month or from the quarter (year) row itself, which are published at the same
    moment. A cell shown once therefore stays shown when later months come in (as long as the
    underlying data does not change; counts of live data do change when a late signal comes in
    or a casus changes status, which no suppression can hide from someone who adds the signal
    themselves).

Queries
    A constant number: one aggregate query per source (live signals, their indicators, live
    casussen, tombstones, the indicator descriptions), whatever the period or the data size.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Generic, TypeVar

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
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
from partners.policy import Permission, has_permission

K_ANONYMITY = 5
SMALL_LABEL = "< 5"  # a suppressed count of 1 to 4
HIDDEN_LABEL = "\u00d7"  # the multiplication sign: afgeschermd, the count is not stated

# A query may show at most this many periods (columns); longer ranges need a coarser grouping.
MAX_PERIODS = 36
AGENDA_MAX_MONTHS = 12  # the agenda's summary shows at most this many months

Key = TypeVar("Key", bound=Hashable)


# --- Suppression ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cel:
    """One published cell: the count, or that it is suppressed. The true count of a suppressed
    cell is not kept here, so a template cannot show it by mistake."""

    waarde: int | None  # None when suppressed
    klein: bool = False  # suppressed and shown as "< 5": the count is 1 to 4

    @property
    def afgeschermd(self) -> bool:
        return self.waarde is None

    @property
    def label(self) -> str:
        if self.waarde is not None:
            return str(self.waarde)
        return SMALL_LABEL if self.klein else HIDDEN_LABEL

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Equation(Generic[Key]):
    """``total`` is the sum of ``parts``."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


class _State(Generic[Key]):
    """Which cells are suppressed, and which suppressed cells say "< 5" (the others say
    afgeschermd, without a number: complements, and the rare small cell whose "< 5" would give
    it away)."""

    def __init__(self, values: Mapping[Key, int], k: int) -> None:
        self.values = values
        self.k = k
        self.hidden: set[Key] = {key for key, value in values.items() if 0 < value < k}
        self.vague: set[Key] = set()  # suppressed small cells shown as afgeschermd

    def small_label(self, key: Key) -> bool:
        return key in self.hidden and key not in self.vague and 0 < self.values[key] < self.k

    def ranges(self, members: Sequence[Key]) -> list[tuple[float, float]]:
        """What a reader knows of each member from its label. "< 5" is 1 to 4 (zeros are shown).
        Afgeschermd states nothing, but a reader will guess "5 or more" (complements are counts
        as a rule); that reading is used whenever it is true for every afgeschermd member."""
        guess_five = all(
            self.values[m] >= self.k
            for m in members
            if m in self.hidden and not self.small_label(m)
        )
        result: list[tuple[float, float]] = []
        for m in members:
            if m not in self.hidden:
                result.append((self.values[m], self.values[m]))
            elif self.small_label(m):
                result.append((1, self.k - 1))
            else:
                result.append((self.k if guess_five else 0, math.inf))
        return result

    def exposed(self, eq: Equation[Key]) -> bool:
        """Whether one equation, with what the labels tell, pins a suppressed member (or
        contradicts the labels, which tells a reader something as well)."""
        members = eq.members
        secret = [m for m in members if m in self.hidden]
        if not secret:
            return False
        if len(secret) == 1:
            return True
        # total - parts = 0: the total counts +1, each part -1.
        terms = []
        for index, (low, high) in enumerate(self.ranges(members)):
            sign = 1 if index == 0 else -1
            terms.append((sign * low, sign * high) if sign > 0 else (sign * high, sign * low))
        low_sum = sum(t[0] for t in terms)
        high_sum = sum(t[1] for t in terms)
        for member, (low_term, high_term) in zip(members, terms, strict=True):
            if member not in self.hidden:
                continue
            others_low, others_high = low_sum - low_term, high_sum - high_term
            if max(low_term, -others_high) >= min(high_term, -others_low):
                return True
        return False

    def protect(self, eq: Equation[Key], modifiable: set[Key], order: Mapping[Key, int]) -> bool:
        """One more step for an exposed equation: suppress the smallest shown part with a
        count, else the total. Never an empty part: a zero hides no one, and a category that is
        always empty is easily guessed. When that leaves nothing, show a "< 5" member as
        afgeschermd instead (the total first). False when nothing in the equation may change
        any more (its cells were published earlier)."""
        counted = [
            p for p in eq.parts if p in modifiable and p not in self.hidden and self.values[p] > 0
        ]
        if counted:
            self.hidden.add(_smallest(counted, self.values, order))
        elif eq.total in modifiable and eq.total not in self.hidden:
            self.hidden.add(eq.total)
        else:
            labelled = [m for m in eq.members if m in modifiable and self.small_label(m)]
            if not labelled:
                return False
            self.vague.add(labelled[0])
        return True


def determined_cells(
    values: Mapping[Key, int], hidden: Collection[Key], equations: Iterable[Equation[Key]]
) -> set[Key]:
    """The suppressed cells whose value follows exactly from the equations and the shown cells
    (linear algebra over the rationals; what the labels tell is left to ``_State.exposed``).

    A suppressed cell is fixed exactly when no change of the suppressed cells that keeps every
    equation true can move it: in reduced row-echelon form over the suppressed cells, a pivot
    cell whose row has no free cell.
    """
    secret = set(hidden)
    rows: list[dict[Key, Fraction]] = []
    for eq in equations:
        row: dict[Key, Fraction] = defaultdict(Fraction)
        if eq.total in secret:
            row[eq.total] -= 1
        for part in eq.parts:
            if part in secret:
                row[part] += 1
        cleaned = {key: coef for key, coef in row.items() if coef}
        if cleaned:
            rows.append(cleaned)
    pivots: dict[Key, dict[Key, Fraction]] = {}
    occurs: dict[Key, set[Key]] = defaultdict(set)  # cell -> pivots whose row holds it
    for original in rows:
        row = dict(original)
        for pivot in [key for key in row if key in pivots]:
            coef = row.get(pivot)
            if not coef:
                continue
            for key, value in pivots[pivot].items():
                new = row.get(key, Fraction(0)) - coef * value
                if new:
                    row[key] = new
                else:
                    row.pop(key, None)
        if not row:
            continue
        new_pivot = min(row, key=lambda key: (len(occurs[key]), repr(key)))
        scale = row[new_pivot]
        row = {key: value / scale for key, value in row.items()}
        for other in list(occurs[new_pivot]):
            other_row = pivots[other]
            coef = other_row[new_pivot]
            for key, value in row.items():
                new = other_row.get(key, Fraction(0)) - coef * value
                if new:
                    if key not in other_row:
                        occurs[key].add(other)
                    other_row[key] = new
                else:
                    other_row.pop(key, None)
                    occurs[key].discard(other)
        pivots[new_pivot] = row
        for key in row:
            occurs[key].add(new_pivot)
    return {pivot for pivot, row in pivots.items() if all(key in pivots for key in row)}


def _smallest(
    candidates: Iterable[Key], values: Mapping[Key, int], order: Mapping[Key, int]
) -> Key:
    return min(candidates, key=lambda key: (values[key], order[key]))


def protect(
    values: Mapping[Key, int],
    equations: Sequence[Equation[Key]],
    *,
    steps: Sequence[Collection[Key]] | None = None,
    k: int = K_ANONYMITY,
) -> dict[Key, Cel]:
    """The published value of every cell: suppression of counts below ``k`` plus the
    complementary suppression that keeps them from being derived (see the module docstring).

    ``steps`` is the publication order (e.g. month by month): an equation takes part once all its
    members are published, and a complement is only taken from the cells of the current step,
    so a later step never changes an earlier one. Without ``steps`` everything is one step.
    """
    order = {key: index for index, key in enumerate(values)}
    state = _State(values, k)
    published: set[Key] = set()
    pending = set(range(len(equations)))
    done: list[Equation[Key]] = []
    for step in [list(values)] if steps is None else steps:
        modifiable = set(step)
        published |= modifiable
        active = sorted(i for i in pending if all(m in published for m in equations[i].members))
        pending.difference_update(active)
        new = [equations[i] for i in active]
        done.extend(new)
        if not new:
            continue
        while True:
            changed = True
            while changed:
                changed = False
                for eq in new:
                    if state.exposed(eq) and state.protect(eq, modifiable, order):
                        changed = True
            fixed = determined_cells(values, state.hidden & published, done)
            if not fixed:
                break
            near = {m for eq in done if fixed.intersection(eq.members) for m in eq.members}
            open_cells = [key for key in step if key not in state.hidden]
            candidates = (
                [key for key in open_cells if key in near and values[key] > 0]
                or [key for key in open_cells if key in near]
                or open_cells
            )
            if not candidates:  # pragma: no cover - a fully suppressed step cannot be derived
                raise RuntimeError("suppression could not protect a cell")
            state.hidden.add(_smallest(candidates, values, order))
    return {
        key: Cel(waarde=None, klein=state.small_label(key))
        if key in state.hidden
        else Cel(waarde=value)
        for key, value in values.items()
    }


@dataclass(frozen=True)
class SuppressedTable:
    """The published form of a 2-D table: its cells, and the totals that were asked for."""

    cells: list[list[Cel]]
    row_totals: list[Cel] | None
    column_totals: list[Cel] | None
    grand_total: Cel | None

    def labels(self) -> list[list[str]]:
        """Every value as shown, row by row, with the row total last and the column totals as
        the last row (for tests and plain-text use)."""
        rows = [
            [cel.label for cel in row] + ([self.row_totals[i].label] if self.row_totals else [])
            for i, row in enumerate(self.cells)
        ]
        if self.column_totals is not None:
            rows.append(
                [cel.label for cel in self.column_totals]
                + ([self.grand_total.label] if self.grand_total else [])
            )
        return rows


def suppress_table(
    table: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    k: int = K_ANONYMITY,
) -> SuppressedTable:
    """Suppress a 2-D table of counts (rows x columns, totals computed here): every cell and
    total with 0 < n < k, and the complementary cells that would reveal one through a shown
    total, iterated over rows and columns until stable."""
    n_rows = len(table)
    n_cols = len(table[0]) if n_rows else 0
    if any(len(row) != n_cols for row in table):
        raise ValueError("all rows need the same number of columns")
    if any(value < 0 for row in table for value in row):
        raise ValueError("counts are never negative")
    values: dict[tuple[Any, ...], int] = {}
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            values[("cell", r, c)] = value
    equations: list[Equation[tuple[Any, ...]]] = []
    if row_totals:
        for r in range(n_rows):
            values[("row", r)] = sum(table[r])
            equations.append(Equation(("row", r), tuple(("cell", r, c) for c in range(n_cols))))
    if column_totals:
        for c in range(n_cols):
            values[("col", c)] = sum(row[c] for row in table)
            equations.append(Equation(("col", c), tuple(("cell", r, c) for r in range(n_rows))))
    if row_totals and column_totals:
        values[("grand",)] = sum(sum(row) for row in table)
        equations.append(Equation(("grand",), tuple(("row", r) for r in range(n_rows))))
        equations.append(Equation(("grand",), tuple(("col", c) for c in range(n_cols))))
    shown = protect(values, equations, k=k)
    return SuppressedTable(
        cells=[[shown[("cell", r, c)] for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[shown[("row", r)] for r in range(n_rows)] if row_totals else None,
        column_totals=[shown[("col", c)] for c in range(n_cols)] if column_totals else None,
        grand_total=shown[("grand",)] if row_totals and column_totals else None,
    )


# --- Periods -------------------------------------------------------------------------------------

MAAND = "maand"
KWARTAAL = "kwartaal"
JAAR = "jaar"
INDELINGEN: tuple[tuple[str, str | Promise], ...] = (
    (MAAND, _("Maand")),
    (KWARTAAL, _("Kwartaal")),
    (JAAR, _("Jaar")),
)
_MONTHS_IN = {MAAND: 1, KWARTAAL: 3, JAAR: 12}


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count`` months after (or before) ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_full_month(today: datetime.date | None = None) -> datetime.date:
    """The first day of the last complete month: the running month is never counted."""
    today = today or timezone.localdate()
    return add_months(today.replace(day=1), -1)


@dataclass(frozen=True, order=True)
class Periode:
    """A whole calendar month, quarter or year."""

    start: datetime.date
    indeling: str

    @classmethod
    def containing(cls, month: datetime.date, indeling: str) -> Periode:
        size = _MONTHS_IN[indeling]
        return cls(datetime.date(month.year, (month.month - 1) // size * size + 1, 1), indeling)

    @property
    def maanden(self) -> list[datetime.date]:
        return [add_months(self.start, i) for i in range(_MONTHS_IN[self.indeling])]

    @property
    def laatste_maand(self) -> datetime.date:
        return add_months(self.start, _MONTHS_IN[self.indeling] - 1)

    @property
    def eind(self) -> datetime.date:
        last = self.laatste_maand
        return last.replace(day=calendar.monthrange(last.year, last.month)[1])

    @property
    def kwartaal(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def code(self) -> str:
        if self.indeling == MAAND:
            return self.start.strftime("%Y-%m")
        if self.indeling == KWARTAAL:
            return f"{self.start.year}-K{self.kwartaal}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        if self.indeling == MAAND:
            return date_format(self.start, "F Y")
        if self.indeling == KWARTAAL:
            return gettext("%(kwartaal)de kwartaal %(jaar)d") % {
                "kwartaal": self.kwartaal,
                "jaar": self.start.year,
            }
        return str(self.start.year)

    @property
    def kort(self) -> str:
        """A short label for a chart axis."""
        if self.indeling == MAAND:
            return date_format(self.start, "M Y")
        if self.indeling == KWARTAAL:
            return gettext("K%(kwartaal)d %(jaar)d") % {
                "kwartaal": self.kwartaal,
                "jaar": self.start.year,
            }
        return str(self.start.year)

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Selectie:
    """What a query asks for: from month, to month (first days, inclusive), and the grouping."""

    van: datetime.date
    tot: datetime.date
    indeling: str = MAAND

    @classmethod
    def standaard(cls, peil: datetime.date | None = None) -> Selectie:
        """The last twelve full months, per month."""
        peil = peil or last_full_month()
        return cls(van=add_months(peil, -11), tot=peil, indeling=MAAND)

    def perioden(self, peil: datetime.date | None = None) -> list[Periode]:
        """The whole periods of the grouping that overlap the selected months and are over by
        ``peil`` (the last full month): a quarter or year is shown whole, or not at all."""
        peil = peil or last_full_month()
        perioden = []
        periode = Periode.containing(self.van, self.indeling)
        while periode.start <= self.tot:
            if periode.laatste_maand <= peil:
                perioden.append(periode)
            periode = Periode(add_months(periode.start, _MONTHS_IN[self.indeling]), self.indeling)
        return perioden


# --- The tables ----------------------------------------------------------------------------------


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


# --- Results -------------------------------------------------------------------------------------


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


def published_cells(*, jaren: Iterable[int], peil: datetime.date | None = None) -> dict[str, dict]:
    """The fixed published cells of whole calendar years, per table slug, keyed by
    (period, category): everything any query can show is one of these, whatever it selects."""
    peil = peil or last_full_month()
    years = list(jaren)
    data = _load(datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 1))
    signals = _published(years, peil, SIGNAAL_TABELLEN, data.signalen)
    indicator_spec = _indicator_table(data.codes)
    indicators = _published(years, peil, [indicator_spec], data.indicatoren)
    casussen = _published(years, peil, CASUS_TABELLEN, data.casussen)
    result: dict[str, dict] = {}
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


def trends_for(*, user: Any, selectie: Selectie, peil: datetime.date | None = None) -> Trends:
    """The trend tables for a user who may see them (analist, voorzitter, zorgcoördinator);
    anyone else gets a 404. Counts only: no reference, no content, nothing per casus."""
    if not has_permission(user, Permission.TRENDS_VIEW):
        raise Http404
    return _compute(selectie, peil or last_full_month())


def trends_for_agenda(since: datetime.date, until: datetime.date) -> dict[str, Any]:
    """Signals by sector and by gemeente for the agenda's trends section: the complete calendar
    months that overlap ``since``-``until`` (the previous meeting up to this one), with exactly
    the cells the trends page publishes for those months (the same protection; an arbitrary
    date range would be a new, unprotected cell), at most the last AGENDA_MAX_MONTHS of them
    (a first meeting has no previous one). Sectors and gemeenten without signals are left out.

    Returns ``{"since", "until", "peil", "k", "maanden", "tabellen"}``; see
    casus/templates/casus/includes/trends_summary.html for the shape.
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
