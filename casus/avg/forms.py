"""Forms of the AVG pages: legal holds and requests of data subjects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casus.models import (
    SHORT_TEXT_MAX_LENGTH,
)
from casus.signalen.forms import IdentityForm
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


class PersoonForm(IdentityForm):
    """The identifying data the person presents; used once to compute tokens, never kept."""
