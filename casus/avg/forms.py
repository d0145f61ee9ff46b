"""Forms of the AVG pages: legal holds and requests of data subjects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casus.models import (
    SHORT_TEXT_MAX_LENGTH,
)
from config.kernel.forms import NlForm


class LegalHoldForm(NlForm):
    referentie = forms.CharField(
        label=_("Referentie van de casus of het signaal"),
        max_length=20,
        help_text=_("Bijvoorbeeld K-2026-0001 of S12."),
    )
    reden = forms.CharField(
        label=_("Reden"), max_length=SHORT_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerzoekRegisterForm(NlForm):
    ontvangen_op = forms.DateField(
        label=_("Ontvangen op"), widget=forms.DateInput(attrs={"type": "date"})
    )
    soort = forms.ChoiceField(
        label=_("Soort verzoek"),
        choices=[
            ("inzage", _("Inzage (art. 15)")),
            ("rectificatie", _("Rectificatie (art. 16)")),
            ("wissing", _("Wissing (art. 17)")),
        ],
    )


class PersoonForm(NlForm):
    """The identifying data the person presents; used once to compute tokens, never kept."""

    voornamen = forms.CharField(label=_("Voornaam of voornamen"), required=False, max_length=100)
    achternaam = forms.CharField(label=_("Achternaam"), required=False, max_length=100)
    geboortedatum = forms.DateField(
        label=_("Geboortedatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    geboortejaar = forms.IntegerField(
        label=_("Alleen geboortejaar"), required=False, min_value=1900, max_value=2100
    )
    land = forms.CharField(label=_("Land van herkomst"), required=False, max_length=60)
    werknaam = forms.CharField(label=_("Werknaam"), required=False, max_length=60)
    telefoon = forms.CharField(label=_("Telefoonnummer"), required=False, max_length=30)
