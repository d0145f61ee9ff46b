"""The trends page: k-anonymised counts per period (casus.statistics), with a chart per table.

Only for roles with TRENDS_VIEW (analist, voorzitter, zorgcoördinator); anyone else gets a 404
and the refusal is an audit event. Showing the figures is an audit event too.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.models import AuditAction
from audit.services import event_record
from casus import selectors, statistics
from casus.statistics import (
    INDELINGEN,
    K_ANONYMITY,
    KWARTAAL,
    MAAND,
    MAX_PERIODS,
    Cel,
    Selectie,
    TrendTabel,
)
from config.forms import NlForm
from partners.policy import Permission, has_permission

MAX_YEARS = 10  # a query spans at most this many calendar years (each is protected as a whole)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _trends_viewer(view: Any) -> Any:
    """Signed in, never cached, and only for roles that may see trend statistics."""

    @login_required
    @never_cache
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_permission(request.user, Permission.TRENDS_VIEW):
            selectors.record_denied(user=request.user, object_type="trends")
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class MonthInput(forms.TextInput):
    input_type = "month"


def _month_text(month: datetime.date) -> str:
    return month.strftime("%Y-%m")


class TrendsFilterForm(NlForm):
    """The period of the trends page: whole months, per month, quarter or year."""

    van = forms.CharField(
        label=gettext_lazy("Van maand"),
        max_length=7,
        widget=MonthInput,
        help_text=gettext_lazy("Als jjjj-mm, bijvoorbeeld 2025-01."),
    )
    tot = forms.CharField(
        label=gettext_lazy("Tot en met maand"),
        max_length=7,
        widget=MonthInput,
        help_text=gettext_lazy("Als jjjj-mm. De lopende maand telt nog niet mee."),
    )
    per = forms.ChoiceField(label=gettext_lazy("Per"), choices=INDELINGEN, initial=MAAND)

    def __init__(self, *args: Any, peil: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.peil = peil
        self.fields["per"].error_messages["invalid_choice"] = _("Kies maand, kwartaal of jaar.")

    def _month(self, name: str) -> datetime.date:
        text = self.cleaned_data[name].strip()
        match = _MONTH.fullmatch(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Vul een maand in als jjjj-mm, bijvoorbeeld 2025-01."))
        month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        if month.year < 2000:
            raise forms.ValidationError(_("Kies een maand vanaf januari 2000."))
        if month > self.peil:
            raise forms.ValidationError(
                _("Kies een maand die voorbij is: tot en met %(maand)s.")
                % {"maand": date_format(self.peil, "F Y")}
            )
        return month

    def clean_van(self) -> datetime.date:
        return self._month("van")

    def clean_tot(self) -> datetime.date:
        return self._month("tot")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        van, tot, per = cleaned.get("van"), cleaned.get("tot"), cleaned.get("per")
        if not (van and tot and per):
            return cleaned
        if van > tot:
            self.add_error("tot", _("De eindmaand ligt vóór de beginmaand."))
            return cleaned
        if tot.year - van.year + 1 > MAX_YEARS:
            self.add_error("van", _("Kies een periode van hoogstens tien kalenderjaren."))
            return cleaned
        perioden = Selectie(van, tot, per).perioden(self.peil)
        if len(perioden) > MAX_PERIODS:
            self.add_error(
                "per",
                _(
                    "Dat zijn %(aantal)d perioden; er passen er hoogstens %(max)d in een tabel. "
                    "Kies een kortere periode of een grotere indeling."
                )
                % {"aantal": len(perioden), "max": MAX_PERIODS},
            )
        elif not perioden:
            self.add_error(
                "per",
                _("In deze periode is nog geen volledig kwartaal voorbij.")
                if per == KWARTAAL
                else _("In deze periode is nog geen volledig jaar voorbij."),
            )
        return cleaned

    @property
    def selectie(self) -> Selectie:
        return Selectie(
            self.cleaned_data["van"], self.cleaned_data["tot"], self.cleaned_data["per"]
        )


# --- Charts --------------------------------------------------------------------------------------

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


# --- The page ------------------------------------------------------------------------------------


@_trends_viewer
@require_http_methods(["GET"])
def trends_index(request: HttpRequest) -> HttpResponse:
    peil = statistics.last_full_month()
    standaard = Selectie.standaard(peil)
    asked = any(name in request.GET for name in ("van", "tot", "per"))
    if asked:
        form = TrendsFilterForm(request.GET, peil=peil)
        selectie = form.selectie if form.is_valid() else None
    else:
        form = TrendsFilterForm(
            initial={"van": _month_text(standaard.van), "tot": _month_text(standaard.tot)},
            peil=peil,
        )
        selectie = standaard
    trends = None
    grafieken: list[Grafiek] = []
    if selectie is not None:
        trends = statistics.trends_for(user=request.user, selectie=selectie, peil=peil)
        grafieken = [grafiek_for(tabel) for tabel in trends.tabellen]
        event_record(
            action=AuditAction.TRENDS_VIEWED,
            actor=request.user,
            object_type="trends",
            object_ref=f"{_month_text(selectie.van)}:{_month_text(selectie.tot)}:{selectie.indeling}",
        )
    return render(
        request,
        "casus/trends.html",
        {
            "form": form,
            "trends": trends,
            "tabellen": list(zip(trends.tabellen, grafieken, strict=True)) if trends else [],
            "peil": peil,
            "k": K_ANONYMITY,
            "is_standaard": not asked,
            "indeling_label": dict(INDELINGEN)[selectie.indeling] if selectie else "",
        },
    )
