"""Periods and selections of the trend statistics (months, quarters, years)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
