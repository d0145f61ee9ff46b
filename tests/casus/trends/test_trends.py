"""Trend statistics: k-anonymity with complementary suppression, no differencing between
queries, tombstones counted, access for the three roles only, counts without content, and a
constant number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditAction, AuditEvent, Outcome
from casus.models import Casus, Indicator, Signaal, Signalenlijst, Status, Tombstone
from casus.signalen import services as intake
from casus.trends import periods, suppression
from casus.trends import tables as statistics
from casus.trends.periods import JAAR, KWARTAAL, MAAND, Periode, Selectie
from casus.trends.suppression import K_ANONYMITY, Cel, Equation, determined_cells, suppress_table
from casus.trends.tables import Categorie, TabelSpec
from partners.models import Role
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SMALL = "< 5"
HIDDEN = "\u00d7"  # the multiplication sign of a complementary suppression of 5 or more
PEIL = datetime.date(2026, 2, 1)  # the tests run on 2 March 2026 (tests/conftest.py)


# --- An independent referee: what a reader can derive from published numbers -------------------
# Written separately from casus.statistics (dense rational elimination, its own bounds), so the
# tests do not check the production code against itself.


def referee_derivable(
    hidden: Iterable[Hashable], relations: Iterable[tuple[Hashable, Sequence[Hashable]]]
) -> set[Hashable]:
    """The hidden cells that linear algebra pins down from the relations (total = sum of parts)
    and the shown cells: in reduced row-echelon form over the hidden cells, a pivot whose row
    has no free cell (no change of the hidden cells that keeps all relations moves it)."""
    unknown = sorted(set(hidden), key=repr)
    index = {key: i for i, key in enumerate(unknown)}
    rows: list[dict[int, Fraction]] = []
    for total, parts in relations:
        row: dict[int, Fraction] = {}
        for key, sign in [(total, -1), *((part, 1) for part in parts)]:
            if key in index:
                row[index[key]] = row.get(index[key], Fraction(0)) + sign
        row = {column: value for column, value in row.items() if value}
        if row:
            rows.append(row)
    pivot_rows: dict[int, dict[int, Fraction]] = {}
    for column in range(len(unknown)):
        chosen = next((row for row in rows if row.get(column)), None)
        if chosen is None:
            continue
        rows.remove(chosen)
        lead = chosen[column]
        chosen = {c: v / lead for c, v in chosen.items()}
        for other in [*rows, *pivot_rows.values()]:
            factor = other.get(column)
            if factor:
                for c, v in chosen.items():
                    new = other.get(c, Fraction(0)) - factor * v
                    if new:
                        other[c] = new
                    else:
                        other.pop(c, None)
        pivot_rows[column] = chosen
    free = set(range(len(unknown))) - set(pivot_rows)
    return {
        unknown[column] for column, row in pivot_rows.items() if not any(c in free for c in row)
    }


def referee_ranges(
    labels: Mapping[Any, str], truth: Mapping[Any, int], members: Sequence[Hashable]
) -> dict[Hashable, tuple[float, float]]:
    """What the labels of one relation tell a reader: "< 5" is 1-4 (zeros are shown as 0);
    afgeschermd states nothing, but a reader may guess 5 or more, so that guess is used
    whenever it is true for every afgeschermd member of the relation."""
    guess = all(truth[m] >= K_ANONYMITY for m in members if labels[m] == HIDDEN)
    ranges: dict[Hashable, tuple[float, float]] = {}
    for m in members:
        if labels[m] == SMALL:
            ranges[m] = (1, K_ANONYMITY - 1)
        elif labels[m] == HIDDEN:
            ranges[m] = (K_ANONYMITY if guess else 0, float("inf"))
        else:
            ranges[m] = (int(labels[m]), int(labels[m]))
    return ranges


def referee_pinned_by_one_relation(
    labels: Mapping[Any, str],
    truth: Mapping[Any, int],
    total: Hashable,
    parts: Sequence[Hashable],
) -> list[Hashable]:
    """Hidden members of one relation whose value the relation and the labels fix. A sum of
    whole-number ranges is a whole-number range, so each member's possible values are the
    range its label allows, cut by what the other members can add up to."""
    members = [total, *parts]
    hidden = [m for m in members if labels[m] in (SMALL, HIDDEN)]
    if len(hidden) <= 1:
        return hidden
    ranges = referee_ranges(labels, truth, members)
    pinned = []
    for member in hidden:
        low, high = ranges[member]
        if member == total:
            low = max(low, sum(ranges[p][0] for p in parts))
            high = min(high, sum(ranges[p][1] for p in parts))
        else:
            others = [p for p in parts if p != member]
            low = max(low, ranges[total][0] - sum(ranges[p][1] for p in others))
            high = min(high, ranges[total][1] - sum(ranges[p][0] for p in others))
        if low >= high:  # one value left (or none: the labels contradict, which tells too)
            pinned.append(member)
    return pinned


# --- suppress_table: unit tests ------------------------------------------------------------------


def test_nothing_is_suppressed_when_every_cell_reaches_k() -> None:
    table = suppress_table([[5, 7], [9, 11]])
    assert table.labels() == [["5", "7", "12"], ["9", "11", "20"], ["14", "18", "32"]]


def test_a_small_cell_is_shown_as_below_k_and_zero_as_zero() -> None:
    table = suppress_table([[3, 0, 0]], row_totals=False, column_totals=False)
    assert table.labels() == [[SMALL, "0", "0"]]


def test_every_count_from_one_to_four_is_suppressed_and_five_is_shown() -> None:
    table = suppress_table([[1, 2, 3, 4, 5]], row_totals=False, column_totals=False)
    assert table.labels() == [[SMALL, SMALL, SMALL, SMALL, "5"]]


def test_one_small_cell_gets_a_complement_in_its_row_and_in_its_column() -> None:
    table = suppress_table([[2, 9, 12], [8, 7, 6], [10, 11, 13]])
    labels = table.labels()
    # Row 0: the small cell and the smallest other cell of the row (9, shown as HIDDEN).
    assert labels[0] == [SMALL, HIDDEN, "12", "23"]
    # Column 0 and column 1 each need a second suppressed cell: 8 and 7 (the smallest), which
    # then protect each other in row 1.
    assert labels[1] == [HIDDEN, HIDDEN, "6", "21"]
    assert labels[2] == ["10", "11", "13", "34"]
    assert labels[3] == ["20", "27", "31", "78"]


def test_the_complement_is_the_smallest_shown_count_not_an_empty_cell() -> None:
    table = suppress_table([[3, 0, 20, 8]], column_totals=False)
    # An empty cell hides no one (and is easily guessed): the complement is 8, not the 0.
    assert table.labels() == [[SMALL, "0", "20", HIDDEN, "31"]]


def test_when_the_cells_left_would_pin_the_small_count_the_total_goes() -> None:
    # 1 + 5 = 6: with the 5 hidden as well, "< 5" (1-4) and "5 or more" still fix both cells.
    table = suppress_table([[1, 5, 0]], column_totals=False)
    assert table.labels() == [[SMALL, HIDDEN, "0", HIDDEN]]


def test_four_small_parts_under_a_small_total_show_the_total_as_afgeschermd() -> None:
    # Four "< 5" cells (each at least 1, zeros are shown) under a "< 5" total: all four are 1.
    # Nothing else can be hidden (an empty cell protects nothing), so the total says less.
    table = suppress_table([[1, 1, 1, 1, 0]], column_totals=False)
    assert table.labels() == [[SMALL, SMALL, SMALL, SMALL, "0", HIDDEN]]
    assert table.row_totals is not None and table.row_totals[0] == Cel(waarde=None, klein=False)


def test_a_total_below_k_is_suppressed() -> None:
    table = suppress_table([[1, 2], [0, 0]])
    labels = table.labels()
    assert labels[0] == [SMALL, SMALL, SMALL]
    assert labels[1] == ["0", "0", "0"]
    assert labels[2] == [SMALL, SMALL, SMALL]


def test_two_fours_that_add_up_to_a_shown_eight_get_a_third_cell() -> None:
    # 4 + 4 = 28 - 20: two "< 5" cells (at most 4 each) would both be pinned at 4.
    table = suppress_table([[4, 4, 20]], column_totals=False)
    assert table.labels() == [[SMALL, SMALL, HIDDEN, "28"]]


def test_without_totals_there_is_nothing_to_derive_and_no_complement() -> None:
    table = suppress_table([[2, 9], [9, 9]], row_totals=False, column_totals=False)
    assert table.labels() == [[SMALL, "9"], ["9", "9"]]


def test_complementary_suppression_iterates_over_rows_and_columns_until_stable() -> None:
    table = suppress_table([[1, 20, 20, 20], [20, 20, 20, 20], [20, 20, 20, 6]])
    labels = table.labels()
    for row in labels:
        assert sum(label in (SMALL, HIDDEN) for label in row) != 1
    for column in zip(*labels, strict=True):
        assert sum(label in (SMALL, HIDDEN) for label in column) != 1


def test_a_suppressed_cell_keeps_no_value() -> None:
    table = suppress_table([[2, 9]], column_totals=False)
    cel = table.cells[0][0]
    assert cel == Cel(waarde=None, klein=True)
    assert str(cel) == SMALL
    assert cel.afgeschermd


def test_the_bridge_between_two_suppressed_blocks_is_seen_and_closed() -> None:
    # Two 2x2 blocks of suppressed cells joined by one suppressed cell: every row and column has
    # two suppressed cells, yet rows 0+1 minus columns 0+1 isolate the joining cell.
    cells = {(r, c): 10 for r in range(4) for c in range(4)}
    relations = [(("R", r), [(r, c) for c in range(4)]) for r in range(4)] + [
        (("C", c), [(r, c) for r in range(4)]) for c in range(4)
    ]
    values: dict[Any, int] = dict(cells)
    values.update({("R", r): 40 for r in range(4)})
    values.update({("C", c): 40 for c in range(4)})
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    equations = [Equation(total, tuple(parts)) for total, parts in relations]
    assert determined_cells(values, hidden, equations) == {(1, 2)}
    assert referee_derivable(hidden, relations) == {(1, 2)}
    # And protect() closes such bridges: a 4x4 table with small cells in that pattern.
    table = [[2, 3, 30, 30], [3, 2, 1, 30], [30, 30, 2, 3], [30, 30, 3, 2]]
    result = suppress_table(table)
    shown_hidden: set[tuple[Any, ...]] = {
        ("cell", r, c) for r in range(4) for c in range(4) if result.cells[r][c].afgeschermd
    }
    shown_hidden |= {
        ("row", r) for r in range(4) if result.row_totals and result.row_totals[r].afgeschermd
    }
    shown_hidden |= {
        ("col", c) for c in range(4) if result.column_totals and result.column_totals[c].afgeschermd
    }
    assert not referee_derivable(shown_hidden, _table_relations(4, 4, True, True))


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[-1]])


# --- suppress_table: property test ---------------------------------------------------------------


def _table_relations(
    n_rows: int, n_cols: int, row_totals: bool, column_totals: bool
) -> list[tuple[Hashable, list[Hashable]]]:
    relations: list[tuple[Hashable, list[Hashable]]] = []
    if row_totals:
        relations += [(("row", r), [("cell", r, c) for c in range(n_cols)]) for r in range(n_rows)]
    if column_totals:
        relations += [(("col", c), [("cell", r, c) for r in range(n_rows)]) for c in range(n_cols)]
    if row_totals and column_totals:
        relations.append((("grand",), [("row", r) for r in range(n_rows)]))
        relations.append((("grand",), [("col", c) for c in range(n_cols)]))
    return relations


counts = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 14))
tables = st.integers(1, 5).flatmap(
    lambda n_cols: st.lists(
        st.lists(counts, min_size=n_cols, max_size=n_cols), min_size=1, max_size=5
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_suppressed_cell_can_be_derived_from_its_row_or_column(
    table: list[list[int]], row_totals: bool, column_totals: bool
) -> None:
    result = suppress_table(table, row_totals=row_totals, column_totals=column_totals)
    n_rows, n_cols = len(table), len(table[0])
    truth: dict[Hashable, int] = {
        ("cell", r, c): table[r][c] for r in range(n_rows) for c in range(n_cols)
    }
    labels: dict[Hashable, str] = {
        ("cell", r, c): result.cells[r][c].label for r in range(n_rows) for c in range(n_cols)
    }
    if result.row_totals is not None:
        for r in range(n_rows):
            truth[("row", r)] = sum(table[r])
            labels[("row", r)] = result.row_totals[r].label
    if result.column_totals is not None:
        for c in range(n_cols):
            truth[("col", c)] = sum(row[c] for row in table)
            labels[("col", c)] = result.column_totals[c].label
    if result.grand_total is not None:
        truth[("grand",)] = sum(map(sum, table))
        labels[("grand",)] = result.grand_total.label

    for key, value in truth.items():
        label = labels[key]
        # Every count from 1 to k-1 is suppressed, totals included (as "< 5", or afgeschermd
        # where even "< 5" would say too much).
        if 0 < value < K_ANONYMITY:
            assert label in (SMALL, HIDDEN), (key, value, label)
        # The labels never lie: "< 5" is 1 to 4; afgeschermd states no number.
        if label == SMALL:
            assert 0 < value < K_ANONYMITY, (key, value, label)
        elif label != HIDDEN:
            assert int(label) == value

    relations = _table_relations(n_rows, n_cols, row_totals, column_totals)
    for total, parts in relations:
        # Not from the shown total and the other shown cells of its row or column ...
        hidden = [m for m in [total, *parts] if labels[m] in (SMALL, HIDDEN)]
        assert len(hidden) != 1, (total, parts, labels)
        # ... not with what the labels tell either ...
        assert not referee_pinned_by_one_relation(labels, truth, total, parts)
    # ... and not by any combination of rows and columns.
    hidden_keys = [key for key, label in labels.items() if label in (SMALL, HIDDEN)]
    assert not referee_derivable(hidden_keys, relations)


# --- A year block: months, quarters and the year, protected in calendar order --------------------

SPECS = (
    TabelSpec(
        "a",
        "A",
        "A",
        "",
        (Categorie("a:1", "1"), Categorie("a:2", "2"), Categorie("a:3", "3")),
        "totaal",
        "Totaal",
    ),
    TabelSpec(
        "b", "B", "B", "", (Categorie("b:1", "1"), Categorie("b:2", "2")), "totaal", "Totaal"
    ),
)


def _year_counts(rows: Sequence[tuple[int, int, int]]) -> dict[tuple[datetime.date, str], int]:
    """Per month: counts for a:1, a:2 and a:3; b splits the same total as a:1+a:3 and a:2."""
    result: dict[tuple[datetime.date, str], int] = {}
    for month, (x, y, z) in enumerate(rows, start=1):
        day = datetime.date(2025, month, 1)
        result.update(
            {
                (day, "a:1"): x,
                (day, "a:2"): y,
                (day, "a:3"): z,
                (day, "b:1"): x + z,
                (day, "b:2"): y,
                (day, "totaal"): x + y + z,
            }
        )
    return result


def _block_relations(
    cells: Mapping[tuple[Periode, str], Cel], columns: Sequence[str]
) -> list[tuple[Hashable, list[Hashable]]]:
    """The true sums between published cells, built from the period calendar alone."""
    periods = sorted({p for p, _ in cells})
    relations: list[tuple[Hashable, list[Hashable]]] = []
    for periode in periods:
        relations.append(((periode, "totaal"), [(periode, c) for c in ("a:1", "a:2", "a:3")]))
        relations.append(((periode, "totaal"), [(periode, c) for c in ("b:1", "b:2")]))
        if periode.indeling == MAAND:
            continue
        months = [Periode(m, MAAND) for m in periode.maanden]
        if any((m, "totaal") not in cells for m in months):
            continue
        for column in columns:
            relations.append(((periode, column), [(m, column) for m in months]))
            if periode.indeling == JAAR:
                quarters = [Periode.containing(m.start, KWARTAAL) for m in months[::3]]
                relations.append(((periode, column), [(q, column) for q in quarters]))
    return relations


month_rows = st.lists(
    st.tuples(
        st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 9)),
        st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 20)),
        st.one_of(st.just(0), st.integers(1, 3), st.integers(5, 9)),
    ),
    min_size=12,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=month_rows)
def test_a_year_block_reveals_no_suppressed_cell_and_earlier_months_never_change(
    rows: list[tuple[int, int, int]],
) -> None:
    counts = _year_counts(rows)
    columns = ["a:1", "a:2", "a:3", "totaal", "b:1", "b:2"]
    full = statistics._protect_year(2025, datetime.date(2025, 12, 1), SPECS, counts)
    assert len(full) == 17 * len(columns)  # 12 months, 4 quarters, the year
    labels = {key: cel.label for key, cel in full.items()}
    truth = {
        (periode, column): sum(counts[(month, column)] for month in periode.maanden)
        for periode, column in full
    }
    relations = _block_relations(full, columns)
    for total, parts in relations:
        assert not referee_pinned_by_one_relation(labels, truth, total, parts), (total, parts)
    hidden = [key for key, cel in full.items() if cel.afgeschermd]
    assert not referee_derivable(hidden, relations)
    # Published month by month: a later month (or its quarter) never changes an earlier cell,
    # so what was shown before cannot be subtracted from what is shown now.
    for peil_month in (2, 3, 5, 6, 11):
        earlier = statistics._protect_year(2025, datetime.date(2025, peil_month, 1), SPECS, counts)
        assert earlier == {key: full[key] for key in earlier}


# --- Data for the page and the differencing tests ------------------------------------------------


@pytest.fixture
def reporter() -> Any:
    return UserFactory.create(role=Role.MEDEWERKER)


def _signal(user: Any, day: datetime.date, **fields: Any) -> Any:
    arguments = {
        "actor": user,
        "datum_waargenomen": day,
        "bron": "controle",
        "sector": "raam",
        "gemeente": "leeuwarden",
        "omschrijving": "Waarneming tijdens een controle.",
        "zichtbaarheid": "keten",
        **fields,
    }
    return intake.signaal_submit(**arguments)


def _signals(user: Any, day: datetime.date, count: int, **fields: Any) -> None:
    for _ in range(count):
        _signal(user, day, **fields)


def _casus(
    coordinator: Any, opened: datetime.date, *, afgesloten: bool = False, **fields: Any
) -> Casus:
    casus = CasusFactory.create(coordinator=coordinator, afgesloten=afgesloten, **fields)
    moment = datetime.datetime.combine(
        opened, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    Casus.objects.filter(pk=casus.pk).update(geopend_op=moment)
    return casus


@pytest.fixture
def year_2025(reporter: Any) -> None:
    """Signals through 2025 with small numbers in some months and places."""
    for month in range(1, 13):
        day = datetime.date(2025, month, 10)
        _signals(reporter, day, 6, sector="raam", gemeente="leeuwarden", bron="controle")
        _signals(reporter, day, 5, sector="club", gemeente="heerenveen", bron="hulpverlening")
    # Small, scattered: the cells a differencing attack is after.
    _signal(
        reporter, datetime.date(2025, 6, 3), sector="hotel", gemeente="ameland", bron="spreekuur"
    )
    _signals(
        reporter,
        datetime.date(2025, 6, 4),
        2,
        sector="thuiswerk",
        gemeente="harlingen",
        bron="spreekuur",
    )
    _signals(
        reporter, datetime.date(2025, 5, 8), 3, sector="hotel", gemeente="harlingen", bron="overig"
    )
    _signal(
        reporter,
        datetime.date(2025, 2, 8),
        sector="escort",
        gemeente="vlieland",
        bron="melding_derde",
    )


def _page_cells(trends: statistics.Trends) -> dict[str, dict[tuple[Periode, str], Cel]]:
    return {
        tabel.slug: {
            (periode, rij.sleutel): cel
            for rij in tabel.alle_rijen
            for periode, cel in zip(tabel.perioden, rij.cellen, strict=True)
        }
        for tabel in trends.tabellen
    }


def _trends(
    user: Any, van: datetime.date, tot: datetime.date, per: str = MAAND
) -> statistics.Trends:
    return statistics.trends_for(user=user, selectie=Selectie(van, tot, per), peil=PEIL)


# --- Differencing ---------------------------------------------------------------------------------


def test_overlapping_queries_show_only_the_fixed_published_cells(year_2025: None) -> None:
    analist = UserFactory.create(role=Role.ANALIST)
    fixed = statistics.published_cells(jaren=[2025], peil=PEIL)
    queries = [
        _trends(analist, datetime.date(2025, 1, 1), datetime.date(2025, 6, 1)),
        _trends(analist, datetime.date(2025, 1, 1), datetime.date(2025, 5, 1)),
        _trends(analist, datetime.date(2025, 4, 1), datetime.date(2025, 6, 1)),
        _trends(analist, datetime.date(2025, 1, 1), datetime.date(2025, 6, 1), KWARTAAL),
        _trends(analist, datetime.date(2025, 2, 1), datetime.date(2025, 5, 1), KWARTAAL),
        _trends(analist, datetime.date(2025, 1, 1), datetime.date(2025, 12, 1), JAAR),
        _trends(analist, datetime.date(2025, 3, 1), datetime.date(2025, 3, 1), JAAR),
    ]
    published: dict[tuple[Periode, str], Cel] = {}
    for trends in queries:
        for slug, cells in _page_cells(trends).items():
            for key, cel in cells.items():
                # Every number any query shows is the fixed cell, computed without the query.
                assert fixed[slug][key] == cel, (slug, key)
                if slug in ("bron", "sector", "gemeente"):
                    published[key] = cel
    # A quarter query snaps to whole quarters, a year query to the whole year.
    assert [p.code for p in queries[4].perioden] == ["2025-K1", "2025-K2"]
    assert [p.code for p in queries[6].perioden] == ["2025"]

    # Everything all these queries showed together, with every true sum between the cells
    # (months -> quarters -> year, categories -> total), pins no suppressed cell.
    signal_columns = sorted(
        {column for _, column in fixed["bron"]}
        | {c for _, c in fixed["sector"]}
        | {c for _, c in fixed["gemeente"]}
    )
    relations = []
    periods = sorted({p for p, _ in published})
    for periode in periods:
        for slug in ("bron", "sector", "gemeente"):
            parts = [
                (periode, c)
                for c in sorted({c for p, c in fixed[slug] if p == periode})
                if c != "signalen"
            ]
            relations.append(((periode, "signalen"), parts))
        if periode.indeling != MAAND:
            months = [Periode(m, MAAND) for m in periode.maanden]
            if all((m, "signalen") in published for m in months):
                relations += [((periode, c), [(m, c) for m in months]) for c in signal_columns]
            quarters = [Periode.containing(m.start, KWARTAAL) for m in months[::3]]
            if periode.indeling == JAAR and all((q, "signalen") in published for q in quarters):
                relations += [((periode, c), [(q, c) for q in quarters]) for c in signal_columns]
    hidden = [key for key, cel in published.items() if cel.afgeschermd]
    assert hidden, "the data has small cells to protect"
    assert not referee_derivable(hidden, relations)
    labels = {key: cel.label for key, cel in published.items()}
    truth = _signal_truth(published)
    for key, label in labels.items():
        assert label in (SMALL, HIDDEN) or int(label) == truth[key]
    for total, parts in relations:
        if total in labels and all(p in labels for p in parts):
            assert not referee_pinned_by_one_relation(labels, truth, total, parts)


def _signal_truth(cells: Iterable[tuple[Periode, str]]) -> dict[tuple[Periode, str], int]:
    """The true counts behind published signal cells, counted here from the rows themselves."""
    rows = list(Signaal.objects.values_list("datum_waargenomen", "bron", "sector", "gemeente"))
    truth = {}
    for periode, column in cells:
        first, last = periode.start, periode.eind
        truth[(periode, column)] = sum(
            1
            for day, bron, sector, gemeente in rows
            if first <= day <= last
            and column in ("signalen", f"bron:{bron}", f"sector:{sector}", f"gemeente:{gemeente}")
        )
    return truth


def test_january_to_june_minus_january_to_may_reveals_nothing_about_june(year_2025: None) -> None:
    analist = UserFactory.create(role=Role.ANALIST)
    to_june = _page_cells(_trends(analist, datetime.date(2025, 1, 1), datetime.date(2025, 6, 1)))
    to_may = _page_cells(_trends(analist, datetime.date(2025, 1, 1), datetime.date(2025, 5, 1)))
    june = Periode(datetime.date(2025, 6, 1), MAAND)
    for slug, cells in to_june.items():
        # The shorter query is exactly the longer one without June: the difference between the
        # two is June's own cells, protected like any other month ...
        assert {key: cel for key, cel in cells.items() if key[0] != june} == to_may[slug]
        # ... and there is no total over the selected months to subtract.
        assert all(key[0].indeling == MAAND for key in cells)
    assert to_june["gemeente"][(june, "gemeente:ameland")].label == SMALL
    assert to_june["sector"][(june, "sector:hotel")].label == SMALL


def test_one_more_signal_in_a_later_month_changes_no_earlier_cell(
    year_2025: None, reporter: Any
) -> None:
    analist = UserFactory.create(role=Role.ANALIST)
    before = _page_cells(_trends(analist, datetime.date(2025, 1, 1), datetime.date(2025, 5, 1)))
    _signal(reporter, datetime.date(2025, 6, 20), sector="hotel", gemeente="vlieland")
    after = _page_cells(_trends(analist, datetime.date(2025, 1, 1), datetime.date(2025, 5, 1)))
    assert after == before


def test_a_quarter_with_one_small_month_does_not_give_that_month_away(reporter: Any) -> None:
    """The naive attack: Q2 minus April minus May is June. Here June's hotel count is 2 and
    April and May have none; the quarter cell has to be protected with it."""
    analist = UserFactory.create(role=Role.ANALIST)
    for month in (4, 5, 6):
        _signals(reporter, datetime.date(2025, month, 2), 9, sector="raam")
    _signals(reporter, datetime.date(2025, 6, 5), 2, sector="hotel")
    months = _page_cells(_trends(analist, datetime.date(2025, 4, 1), datetime.date(2025, 6, 1)))
    quarter = _page_cells(
        _trends(analist, datetime.date(2025, 4, 1), datetime.date(2025, 6, 1), KWARTAAL)
    )
    q2 = Periode(datetime.date(2025, 4, 1), KWARTAAL)
    june = Periode(datetime.date(2025, 6, 1), MAAND)
    assert months["sector"][(june, "sector:hotel")].label == SMALL
    assert quarter["sector"][(q2, "sector:hotel")].afgeschermd
    shown_months = [
        months["sector"][(Periode(datetime.date(2025, m, 1), MAAND), "sector:hotel")]
        for m in (4, 5)
    ]
    assert [cel.label for cel in shown_months] == ["0", "0"]


# --- Tombstones and indicators -------------------------------------------------------------------


def test_purged_signals_and_casussen_keep_counting_through_their_tombstones(reporter: Any) -> None:
    analist = UserFactory.create(role=Role.ANALIST)
    coordinator = CoordinatorFactory.create()
    june = datetime.date(2025, 6, 1)
    _signals(
        reporter,
        datetime.date(2025, 6, 12),
        3,
        sector="hotel",
        bron="spreekuur",
        gemeente="sudwest_fryslan",
    )
    Tombstone.objects.bulk_create(
        [
            Tombstone(
                soort="signaal",
                periode=june,
                bron="spreekuur",
                sector="hotel",
                gemeente="sudwest_fryslan",
                status="gekoppeld",
                indicatoren=["geen_eigen_id", "geen_eigen_id"],
            )
            for _ in range(3)
        ]
    )
    for _ in range(4):
        _casus(coordinator, datetime.date(2025, 6, 15), afgesloten=True, risico="hoog")
    Tombstone.objects.bulk_create(
        [
            Tombstone(
                soort="casus",
                periode=june,
                afgesloten_periode=june,
                sector="hotel",
                risico="hoog",
                status=Status.AFGESLOTEN,
            )
            for _ in range(2)
        ]
    )
    cells = _page_cells(_trends(analist, datetime.date(2025, 6, 1), datetime.date(2025, 6, 1)))
    periode = Periode(june, MAAND)
    assert cells["sector"][(periode, "sector:hotel")].label == "6"
    assert cells["bron"][(periode, "bron:spreekuur")].label == "6"
    assert cells["gemeente"][(periode, "gemeente:sudwest_fryslan")].label == "6"
    assert cells["sector"][(periode, "signalen")].label == "6"
    # An indicator counts once per signal, also when a tombstone lists the code twice.
    assert cells["indicator"][(periode, "indicator:geen_eigen_id")].label == SMALL
    assert cells["status"][(periode, "status:afgesloten")].label == "6"
    assert cells["status"][(periode, "casussen")].label == "6"
    assert cells["uitkomst"][(periode, "uitkomst:hoog")].label == "6"
    # Without the tombstones these would all be small and suppressed.
    Tombstone.objects.all().delete()
    cells = _page_cells(_trends(analist, datetime.date(2025, 6, 1), datetime.date(2025, 6, 1)))
    assert cells["sector"][(periode, "sector:hotel")].label == SMALL
    assert cells["status"][(periode, "status:afgesloten")].label == SMALL


def test_indicators_of_every_list_version_count_by_code_with_the_newest_description(
    reporter: Any,
) -> None:
    analist = UserFactory.create(role=Role.ANALIST)
    day = datetime.date(2025, 9, 9)
    _signals(reporter, day, 3, indicatoren=["geen_eigen_id"])
    v2 = Signalenlijst.objects.create(versie=2, geldig_vanaf=datetime.date(2025, 9, 1), actief=True)
    Signalenlijst.objects.exclude(pk=v2.pk).update(actief=False)
    Indicator.objects.create(
        lijst=v2, code="geen_eigen_id", omschrijving="Geen eigen paspoort of ID-kaart", volgorde=1
    )
    Indicator.objects.create(
        lijst=v2, code="nieuw_in_v2", omschrijving="Nieuwe indicator", volgorde=2
    )
    _signals(reporter, day, 3, indicatoren=["geen_eigen_id", "nieuw_in_v2"])
    trends = _trends(analist, datetime.date(2025, 9, 1), datetime.date(2025, 9, 1))
    tabel = next(t for t in trends.tabellen if t.slug == "indicator")
    rows = {rij.sleutel: rij for rij in tabel.rijen}
    assert rows["indicator:geen_eigen_id"].label == "Geen eigen paspoort of ID-kaart"
    assert rows["indicator:geen_eigen_id"].cellen[0].label == "6"
    assert rows["indicator:nieuw_in_v2"].cellen[0].label == SMALL
    # Codes only in the first list stay, with their own description.
    assert rows["indicator:slaapt_op_werkplek"].label == "Slaapt op de werkplek"
    assert tabel.totaal is None  # a signal can tick several indicators: no total


# --- Casus tables --------------------------------------------------------------------------------


def test_casussen_by_status_and_outcome_form_one_table(reporter: Any) -> None:
    analist = UserFactory.create(role=Role.ANALIST)
    coordinator = CoordinatorFactory.create()
    opened = datetime.date(2025, 11, 4)
    for _ in range(6):
        _casus(coordinator, opened)
    for risico in ("hoog",) * 5 + ("laag",) * 2:
        _casus(coordinator, opened, afgesloten=True, risico=risico)
    cells = _page_cells(_trends(analist, datetime.date(2025, 11, 1), datetime.date(2025, 11, 1)))
    november = Periode(datetime.date(2025, 11, 1), MAAND)
    status = {key[1]: cel.label for key, cel in cells["status"].items() if key[0] == november}
    uitkomst = {key[1]: cel.label for key, cel in cells["uitkomst"].items() if key[0] == november}
    assert status == {
        "status:nieuw": "6",
        "status:in_behandeling": "0",
        "status:monitoren": "0",
        "status:afgesloten": "7",
        "casussen": "13",
    }
    # The outcome table's total is the "afgesloten" cell; laag (2) and its complement are hidden.
    assert uitkomst["status:afgesloten"] == "7"
    assert uitkomst["uitkomst:laag"] == SMALL
    assert sum(label in (SMALL, HIDDEN) for label in uitkomst.values()) >= 2
    assert "uitkomst:onbekend" not in uitkomst  # an optional row of zeros is left out


# --- The page: access, audit, content, queries ----------------------------------------------------


@pytest.mark.parametrize("role", [Role.ANALIST, Role.VOORZITTER, Role.ZORGCOORDINATOR])
def test_the_three_roles_see_the_page_and_it_is_an_audit_event(mfa_client: Any, role: str) -> None:
    user = UserFactory.create(role=role, mfa=True)
    client: Client = mfa_client(user)
    response = client.get(reverse("trends:index"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    event = AuditEvent.objects.get(action=AuditAction.TRENDS_VIEWED, actor=user)
    assert event.object_type == "trends"
    assert event.object_ref == "2025-03:2026-02:maand"
    assert event.outcome == Outcome.SUCCESS


@pytest.mark.parametrize("role", [Role.MEDEWERKER, Role.PRIVACY_OFFICER, Role.BEHEERDER])
def test_every_other_role_gets_a_404_and_a_denied_event(mfa_client: Any, role: str) -> None:
    user = UserFactory.create(role=role, mfa=True)
    client: Client = mfa_client(user)
    response = client.get(reverse("trends:index"), {"van": "2025-01", "tot": "2025-06"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.TRENDS_VIEWED).exists()
    denied = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED, actor=user)
    assert denied.outcome == Outcome.DENIED
    assert denied.object_type == "trends"
    with pytest.raises(Http404):
        statistics.trends_for(user=user, selectie=Selectie.standaard(PEIL))


def test_the_page_shows_counts_and_never_references_or_content(
    mfa_client: Any, reporter: Any
) -> None:
    coordinator = CoordinatorFactory.create(mfa=True)
    _signal(reporter, datetime.date(2025, 12, 1), omschrijving="Kanarie MARKERSIGNAAL7 gezien.")
    casus = _casus(coordinator, datetime.date(2025, 12, 2))
    Casus.objects.filter(pk=casus.pk).update(referentie="K-MARKER-77")
    response = mfa_client(coordinator).get(reverse("trends:index"))
    html = response.content.decode()
    assert response.status_code == 200
    for marker in ("MARKERSIGNAAL7", "K-MARKER-77", casus.referentie, "Kanarie"):
        assert marker not in html
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "/casussen/" not in main and "/signalen/" not in main  # no link to any casus or signal
    # Counts only, suppressed: one signal and one casus in December 2025.
    assert "&lt; 5" in main
    for slug in ("bron", "sector", "gemeente", "indicator", "status", "uitkomst"):
        assert f'id="tabel-{slug}"' in html
        assert f'id="grafiek-{slug}-arcering"' in html
    # Each table's region is labelled by its caption, which names the table and its periods.
    caption = html.split('id="caption-sector">', 1)[1].split("</caption>", 1)[0]
    assert caption.startswith("Signalen per sector, ") and " tot en met " in caption, caption
    assert 'aria-labelledby="caption-sector"' in html


def test_the_chart_is_an_image_with_a_summary_next_to_its_table(
    mfa_client: Any, reporter: Any
) -> None:
    analist = UserFactory.create(role=Role.ANALIST, mfa=True)
    _signals(reporter, datetime.date(2025, 12, 3), 12, sector="club")
    _signals(reporter, datetime.date(2025, 12, 3), 6, sector="raam")
    _signals(reporter, datetime.date(2025, 12, 3), 2, sector="hotel")
    html = mfa_client(analist).get(reverse("trends:index")).content.decode()
    section = html.split('id="tabel-sector"', 1)[1].split("</section>", 1)[0]
    assert section.index("<table") < section.index("<svg")
    assert 'role="img"' in section
    assert 'aria-label="Staafdiagram bij de tabel' in section
    assert "<script" not in html.split('<main id="main"', 1)[1]  # no script in the page itself
    assert 'class="kr-chart__bar kr-chart__bar--klein"' in section  # the hatched bar of hotel
    assert 'fill="url(#grafiek-sector-arcering)"' in section
    assert ">&lt; 5</text>" in section
    assert ">12</text>" in section
    # raam (6) is the complement of hotel: a dashed empty bar, labelled as in the table.
    assert 'class="kr-chart__bar kr-chart__bar--afgeschermd"' in section
    assert ">\u00d7</text>" in section
    assert "style=" not in section  # strict CSP: no inline styles


def test_the_period_form_keeps_the_input_and_explains_in_dutch(mfa_client: Any) -> None:
    client = mfa_client(UserFactory.create(role=Role.ANALIST, mfa=True))
    url = reverse("trends:index")
    response = client.get(url, {"van": "2025-13", "tot": "2025-06", "per": MAAND})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul een maand in als jjjj-mm, bijvoorbeeld 2025-01." in html
    assert 'value="2025-13"' in html
    assert response.context["trends"] is None
    assert not AuditEvent.objects.filter(action=AuditAction.TRENDS_VIEWED).exists()

    response = client.get(url, {"van": "2025-06", "tot": "2025-01", "per": MAAND})
    assert "De eindmaand ligt vóór de beginmaand." in response.content.decode()
    response = client.get(url, {"van": "2026-01", "tot": "2026-03", "per": MAAND})
    assert "Kies een maand die voorbij is: tot en met februari 2026." in response.content.decode()
    response = client.get(url, {"van": "2026-01", "tot": "2026-02", "per": JAAR})
    assert "In deze periode is nog geen volledig jaar voorbij." in response.content.decode()
    response = client.get(url, {"van": "2020-01", "tot": "2026-02", "per": MAAND})
    assert "hoogstens 36" in response.content.decode()
    response = client.get(url, {"van": "2025-01", "tot": "2025-06", "per": "week"})
    assert "Kies maand, kwartaal of jaar." in response.content.decode()

    response = client.get(url, {"van": "2024-02", "tot": "2025-11", "per": KWARTAAL})
    assert response.status_code == 200
    trends = response.context["trends"]
    assert [p.code for p in trends.perioden] == [
        "2024-K1",
        "2024-K2",
        "2024-K3",
        "2024-K4",
        "2025-K1",
        "2025-K2",
        "2025-K3",
        "2025-K4",
    ]
    assert AuditEvent.objects.filter(
        action=AuditAction.TRENDS_VIEWED, object_ref="2024-02:2025-11:kwartaal"
    ).exists()


def test_the_default_is_the_last_twelve_full_months() -> None:
    selectie = Selectie.standaard(PEIL)
    assert [p.code for p in selectie.perioden(PEIL)] == [
        f"{year}-{month:02d}"
        for year, month in [(2025, m) for m in range(3, 13)] + [(2026, 1), (2026, 2)]
    ]
    assert periods.last_full_month() == PEIL


_last_queries: list = []


def _page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("trends:index"))
    assert response.status_code == 200
    _last_queries[:] = captured.captured_queries
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(mfa_client: Any, reporter: Any) -> None:
    client = mfa_client(UserFactory.create(role=Role.ANALIST, mfa=True))
    coordinator = CoordinatorFactory.create()
    _signals(reporter, datetime.date(2025, 7, 1), 2, indicatoren=["geen_eigen_id"])
    _casus(coordinator, datetime.date(2025, 7, 2))
    small = _page_queries(client)
    for month in range(3, 13):
        _signals(
            reporter,
            datetime.date(2025, month, 4),
            3,
            sector="hotel",
            gemeente="harlingen",
            indicatoren=["gebracht_gehaald", "geweld_angst"],
        )
        _casus(coordinator, datetime.date(2025, month, 5), afgesloten=month % 2 == 0)
    Tombstone.objects.bulk_create(
        [
            Tombstone(
                soort="signaal",
                periode=datetime.date(2025, m, 1),
                sector="club",
                indicatoren=["minderjarig"],
            )
            for m in range(1, 13)
        ]
        + [
            Tombstone(
                soort="casus", periode=datetime.date(2025, m, 1), risico="hoog", status="afgesloten"
            )
            for m in range(1, 13)
        ]
    )
    large = _page_queries(client)
    assert small == large
    # Session and user (2); live signals, tombstones, indicator ticks, casussen and indicator
    # descriptions (5, aggregated in the database); the audit event (savepoint, insert,
    # release: 3; no chain lock, the sealer chains it later); the session's activity stamp
    # (savepoint, update, release: 3). The same on PostgreSQL and SQLite.
    assert large == 13, [query["sql"][:80] for query in _last_queries]


# --- The agenda's summary ------------------------------------------------------------------------


def test_the_agenda_summary_shows_the_same_cells_for_the_months_since_the_last_meeting(
    year_2025: None,
) -> None:
    analist = UserFactory.create(role=Role.ANALIST)
    summary = statistics.trends_for_agenda(datetime.date(2025, 5, 20), datetime.date(2025, 6, 17))
    assert [p.code for p in summary["maanden"]] == ["2025-05", "2025-06"]
    page = _page_cells(_trends(analist, datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)))
    slugs = [tabel.slug for tabel in summary["tabellen"]]
    assert slugs == ["sector", "gemeente"]
    for tabel in summary["tabellen"]:
        for rij in tabel.alle_rijen:
            for periode, cel in zip(tabel.perioden, rij.cellen, strict=True):
                assert page[tabel.slug][(periode, rij.sleutel)] == cel
        # Gemeenten and sectors without any signal are left out (their published cells are 0).
        assert all(any(cel.waarde != 0 for cel in rij.cellen) for rij in tabel.rijen)
    html = render_to_string("casus/trends/includes/trends_summary.html", {"trends": summary})
    assert "Signalen per gemeente" in html
    assert "Ameland" in html and "&lt; 5" in html
    assert "Schiermonnikoog" not in html


def test_the_agenda_summary_without_a_complete_month(year_2025: None) -> None:
    summary = statistics.trends_for_agenda(datetime.date(2026, 3, 2), datetime.date(2026, 3, 30))
    assert summary["maanden"] == []
    assert summary["tabellen"] == []
    html = render_to_string("casus/trends/includes/trends_summary.html", {"trends": summary})
    assert "nog geen volledige maand voorbij" in html


def test_the_agenda_summary_shows_at_most_twelve_months() -> None:
    summary = statistics.trends_for_agenda(datetime.date(2023, 6, 1), datetime.date(2026, 3, 2))
    codes = [p.code for p in summary["maanden"]]
    assert (codes[0], codes[-1]) == ("2025-03", "2026-02")
    assert len(summary["maanden"]) == suppression.AGENDA_MAX_MONTHS
