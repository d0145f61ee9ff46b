"""The trends page's filter form: period kind and range, validated in Dutch."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casus.trends.periods import INDELINGEN, KWARTAAL, MAAND, Selectie
from casus.trends.suppression import MAX_PERIODS
from config.kernel.forms import NlForm

MAX_YEARS = 10  # a query spans at most this many calendar years (each is protected as a whole)


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


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
