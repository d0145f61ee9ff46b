"""Filter forms of the FG pages: GET forms with Dutch messages; bad input is shown next to the field."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction, Outcome
from audit.selectors import AMSTERDAM, OBJECT_TYPES, EventCriteria, period_bounds
from config.kernel.forms import NlForm
from partners.models import Partner

# The same alphabet the audit services accept for references (audit.services._REFERENCE).
_SHORT_CODE = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
DEFAULT_PERIOD_DAYS = 30
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def today_local() -> datetime.date:
    return timezone.localtime(timezone.now(), AMSTERDAM).date()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AuditForm(NlForm):
    """The FG's forms: the same Dutch messages as every other page."""


def _in_range(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(_("Kies een datum tussen 2000 en 2100."), code="out_of_range")
    return value


class PeriodForm(AuditForm):
    """A period of whole days in Europe/Amsterdam, both ends included."""

    van = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    tot = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=DateInput(),
        help_text=_("De dagen zelf tellen mee (Nederlandse tijd)."),
    )

    def __init__(self, *args: Any, default_days: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if default_days:
            # Shown in the fields, and used when nothing was chosen.
            tot = today_local()
            self.initial.setdefault("van", tot - datetime.timedelta(days=default_days - 1))
            self.initial.setdefault("tot", tot)

    def clean_van(self) -> datetime.date | None:
        return _in_range(self.cleaned_data.get("van"))

    def clean_tot(self) -> datetime.date | None:
        return _in_range(self.cleaned_data.get("tot"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        van, tot = cleaned.get("van"), cleaned.get("tot")
        if van and tot and tot < van:
            self.add_error(
                "tot",
                ValidationError(
                    _("De einddatum ligt vóór de begindatum. Kies een datum op of na %(van)s."),
                    code="before_start",
                    params={"van": van.strftime("%d-%m-%Y")},
                ),
            )
        return cleaned

    def chosen_period(self) -> tuple[datetime.date | None, datetime.date | None] | None:
        """The chosen days (the defaults when nothing was chosen); None when the input is wrong."""
        if self.is_bound and not self.is_valid():
            return None
        data = self.cleaned_data if self.is_bound else {}
        van, tot = data.get("van"), data.get("tot")
        if van is None and tot is None:
            van, tot = self.initial.get("van"), self.initial.get("tot")
        return van, tot


# The object types the code records (a fixed list: no query over the log for the choices).
OBJECT_TYPE_CHOICES = [("", _("Alle")), *((value, value) for value in OBJECT_TYPES)]


class EventFilterForm(PeriodForm):
    gebruiker = forms.CharField(
        label=_("Gebruiker"),
        required=False,
        max_length=150,
        help_text=_("De gebruikersnaam, precies zoals getoond."),
    )
    partner = forms.ModelChoiceField(
        label=_("Ketenpartner"),
        required=False,
        queryset=Partner.objects.order_by("name"),
        empty_label=_("Alle"),
    )
    object_type = forms.ChoiceField(
        label=_("Soort object"), required=False, choices=OBJECT_TYPE_CHOICES
    )
    referentie = forms.CharField(
        label=_("Referentie"),
        required=False,
        max_length=64,
        help_text=_(
            "Bijvoorbeeld K-2026-0001; onderdelen daarvan (bijdragen, afspraken) tellen mee."
        ),
    )
    actie = forms.ChoiceField(
        label=_("Actie"), required=False, choices=[("", _("Alle")), *AuditAction.choices]
    )
    uitkomst = forms.ChoiceField(
        label=_("Uitkomst"), required=False, choices=[("", _("Alle")), *Outcome.choices]
    )

    field_order = ["gebruiker", "partner", "object_type", "referentie", "actie", "uitkomst"]

    def clean_gebruiker(self) -> str:
        return str(self.cleaned_data.get("gebruiker") or "").strip()

    def clean_referentie(self) -> str:
        value = str(self.cleaned_data.get("referentie") or "").strip()
        if value and not _SHORT_CODE.fullmatch(value):
            raise ValidationError(
                _("Een referentie bestaat alleen uit letters, cijfers en - _ . :"),
                code="invalid_reference",
            )
        return value

    def criteria(self) -> EventCriteria | None:
        """What to show; None when the input is wrong (the page then shows the errors)."""
        period = self.chosen_period()
        if period is None:
            return None
        data = self.cleaned_data if self.is_bound else {}
        since, until = period_bounds(*period)
        partner = data.get("partner")
        return EventCriteria(
            username=data.get("gebruiker", ""),
            partner_id=partner.pk if partner else None,
            object_type=data.get("object_type", ""),
            referentie=data.get("referentie", ""),
            action=data.get("actie", ""),
            outcome=data.get("uitkomst", ""),
            since=since,
            until=until,
        )
