"""Forms of the AVG pages: legal holds and requests of data subjects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


class KandidatenForm(NlForm):
    """Per weaker match: does this signal concern the person? Unticked ones are dropped."""

    bevestigd = forms.TypedMultipleChoiceField(
        label=_("Deze signalen gaan over deze persoon"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args: Any, kandidaten: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bevestigd"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(pk, f"S{pk}") for pk in kandidaten]
        field.error_messages["invalid_choice"] = _(
            "Signaal S%(value)s hoort niet bij de mogelijke overeenkomsten van dit verzoek."
        )


class WisBevestigingForm(NlForm):
    """The confirmation of an erasure: the digest of the overview the coordinator saw."""

    bevestiging = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bevestiging"].error_messages["required"] = _(
            "Bevestig eerst het overzicht van wat er gewist wordt; er is niets verwijderd."
        )
