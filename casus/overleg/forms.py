"""Forms of the ketenoverleg pages: meeting mode and the held meeting. A casus joins the agenda
through the rules, an involved partner's request or the zorgcoördinator, never by a reference
typed in by the chair."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from casus.models import (
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    OverlegSerie,
    Uitkomst,
)
from config.kernel.forms import NlForm
from partners.models import Partner, Role, User


class BesluitForm(NlForm):
    besluit = forms.CharField(
        label=_("Besluit"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat is besloten; geen namen of andere directe identificerende gegevens."),
    )
    besproken = forms.BooleanField(label=_("Casus is besproken"), required=False, initial=True)


class OutcomeForm(NlForm):
    afspraak = forms.IntegerField(widget=forms.HiddenInput)
    versie = forms.IntegerField(widget=forms.HiddenInput)
    uitkomst = forms.ChoiceField(label=_("Uitkomst"), choices=Uitkomst.choices)
    uitkomst_toelichting = forms.CharField(
        label=_("Toelichting"), required=False, max_length=SHORT_TEXT_MAX_LENGTH
    )


class HeldForm(NlForm):
    aanwezig = forms.ModelMultipleChoiceField(
        label=_("Aanwezige partners"),
        required=False,
        queryset=Partner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, partners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["aanwezig"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above  # nosec B101
        field.queryset = partners if partners is not None else Partner.objects.none()


class SerieForm(NlForm):
    naam = forms.CharField(label=_("Naam van de overlegreeks"), max_length=120)
    voorzitter = forms.ModelChoiceField(
        label=_("Voorzitter"),
        queryset=User.objects.filter(role=Role.VOORZITTER, is_active=True).order_by("username"),
        empty_label=_("Kies een voorzitter"),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Uitgenodigde partners"),
        queryset=Partner.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    interval_weken = forms.IntegerField(
        label=_("Elke zoveel weken"), initial=4, min_value=1, max_value=26
    )
    plaats = forms.CharField(label=_("Vaste plaats"), max_length=120, required=False)
    agenda_werkdagen = forms.IntegerField(
        label=_("Agenda zoveel werkdagen vooraf"),
        min_value=0,
        max_value=20,
        help_text=_("Zoveel werkdagen voor het overleg wordt de concept-agenda gemaakt."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new series starts from the installation's default (AGENDA_WORKING_DAYS_BEFORE).
        self.fields["agenda_werkdagen"].initial = settings.AGENDA_WORKING_DAYS_BEFORE


class PlanForm(NlForm):
    serie = forms.ModelChoiceField(
        label=_("Overlegreeks"),
        queryset=OverlegSerie.objects.none(),
        empty_label=_("Kies een overlegreeks"),
    )
    datum = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
    )
    plaats = forms.CharField(
        label=_("Plaats"),
        max_length=120,
        required=False,
        help_text=_("Leeg: de vaste plaats van de overlegreeks."),
    )

    def __init__(self, *args: Any, series: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["serie"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above  # nosec B101
        field.queryset = series if series is not None else OverlegSerie.objects.none()


class CancelForm(NlForm):
    reden = forms.CharField(
        label=_("Reden van annuleren"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: te weinig partners beschikbaar. Geen namen of casusgegevens."),
    )
