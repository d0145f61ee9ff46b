"""Bar charts of a trend table as SVG geometry (the table beside it has every number)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casus.trends.suppression import K_ANONYMITY, Cel
from casus.trends.tables import TrendTabel

CHART_WIDTH = 760


LABEL_WIDTH = 196  # the category names, right-aligned, left of the bars


BAND_HEIGHT = 34


BAR_MAX = 20


AXIS_HEIGHT = 24


MIN_LABEL_SLOT = 24  # narrower slots get no number above the bar (the table has them all)


@dataclass(frozen=True)
class Staaf:
    x: float
    y: float
    breedte: float
    hoogte: float
    soort: str  # "waarde", "nul", "klein" ("< 5") or "afgeschermd"
    label: str
    label_x: float
    label_y: float
    toon_label: bool


@dataclass(frozen=True)
class Band:
    label: str
    label_y: float
    basis_y: float
    staven: tuple[Staaf, ...]


@dataclass(frozen=True)
class Grafiek:
    id: str
    breedte: int
    hoogte: int
    plot_x: int
    banden: tuple[Band, ...]
    as_labels: tuple[tuple[float, str], ...]
    as_boven_y: float
    as_onder_y: float
    label: str
    schaal_max: int


def _bar(cel: Cel, x: float, slot: float, basis: float, scale: float, show: bool) -> Staaf:
    width = max(2.0, slot * 0.62)
    left = x + (slot - width) / 2
    if cel.waarde is None:
        height = max(4.0, (K_ANONYMITY - (1 if cel.klein else 0)) * scale)
        kind = "klein" if cel.klein else "afgeschermd"
    elif cel.waarde == 0:
        height, kind = 0.0, "nul"
    else:
        height, kind = max(1.0, cel.waarde * scale), "waarde"
    return Staaf(
        x=round(left, 1),
        y=round(basis - height, 1),
        breedte=round(width, 1),
        hoogte=round(height, 1),
        soort=kind,
        label=cel.label,
        label_x=round(x + slot / 2, 1),
        label_y=round(basis - height - 3, 1),
        toon_label=show,
    )


def grafiek_for(tabel: TrendTabel) -> Grafiek:
    """A bar chart of a table: a band per category (the total left out: it would flatten the
    rest), a bar per period, one scale for all bands. A "< 5" cell is a hatched bar up to the
    k - 1 line, an afgeschermd cell a dashed empty bar up to the k line (a marker, not a
    value); both are labelled as in the table."""
    perioden = tabel.perioden
    shown = [cel.waarde for rij in tabel.rijen for cel in rij.cellen if cel.waarde is not None]
    top = max([K_ANONYMITY, *shown])
    scale = BAR_MAX / top
    slot = (CHART_WIDTH - LABEL_WIDTH - 8) / max(1, len(perioden))
    show_labels = slot >= MIN_LABEL_SLOT
    banden = []
    for index, rij in enumerate(tabel.rijen):
        basis = AXIS_HEIGHT + (index + 1) * BAND_HEIGHT - 4
        staven = tuple(
            _bar(cel, LABEL_WIDTH + i * slot, slot, basis, scale, show_labels)
            for i, cel in enumerate(rij.cellen)
        )
        banden.append(Band(str(rij.label), basis - 6, basis, staven))
    height = AXIS_HEIGHT * 2 + BAND_HEIGHT * len(banden)
    eerste, laatste = perioden[0].label, perioden[-1].label
    label = _(
        'Staafdiagram bij de tabel "%(titel)s": per %(kop)s een rij staven, één per periode, '
        "van %(eerste)s tot en met %(laatste)s, op één schaal tot %(max)d. Gearceerde staven "
        "zijn aantallen onder de %(k)d, lege gestippelde staven afgeschermde aantallen. De "
        "aantallen staan in de tabel."
    ) % {
        "titel": tabel.titel,
        "kop": str(tabel.kop).lower(),
        "eerste": eerste,
        "laatste": laatste,
        "max": top,
        "k": K_ANONYMITY,
    }
    return Grafiek(
        id=f"grafiek-{tabel.slug}",
        breedte=CHART_WIDTH,
        hoogte=height,
        plot_x=LABEL_WIDTH,
        banden=tuple(banden),
        as_labels=tuple(
            (round(LABEL_WIDTH + (i + 0.5) * slot, 1), p.kort) for i, p in enumerate(perioden)
        ),
        as_boven_y=AXIS_HEIGHT - 8,
        as_onder_y=height - 8,
        label=label,
        schaal_max=top,
    )
