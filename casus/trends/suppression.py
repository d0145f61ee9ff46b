"""k-anonymity for trend tables: suppression of small cells and of the complementary cells that
would reveal them. Pure functions, no models."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Generic, TypeVar

K_ANONYMITY = 5


SMALL_LABEL = "< 5"  # a suppressed count of 1 to 4


HIDDEN_LABEL = "\u00d7"  # the multiplication sign: afgeschermd, the count is not stated


# A query may show at most this many periods (columns); longer ranges need a coarser grouping.
MAX_PERIODS = 36


AGENDA_MAX_MONTHS = 12  # the agenda's summary shows at most this many months


Key = TypeVar("Key", bound=Hashable)


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
