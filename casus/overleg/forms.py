"""Forms of the ketenoverleg pages: meeting mode and the held meeting. A casus joins the agenda
through the rules, an involved partner's request or the zorgcoördinator, never by a reference
typed in by the chair."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casus.models import (
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Uitkomst,
)
from config.kernel.forms import NlForm
from partners.models import Partner


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
