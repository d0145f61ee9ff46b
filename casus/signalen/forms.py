"""Forms of the signal pages: intake and triage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casus.models import (
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Bron,
    Gemeente,
    Grondslag,
    Risico,
    Sector,
    Urgentie,
    Zichtbaarheid,
)
from casus.signalen.pseudonym import IDENTIFYING_FIELDS
from config.kernel.forms import NlForm
from partners.models import Partner


class IdentityForm(NlForm):
    """The identifying attributes a professional may enter about a person (intake, and the
    data a person presents for an art. 15 request). Turned into pseudonym tokens and discarded;
    never shown again, not even after an error."""

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["geboortejaar"]
        year.error_messages["min_value"] = _("Vul een jaartal in vanaf 1900.")
        year.error_messages["max_value"] = _("Vul een geldig jaartal in.")
        year.error_messages["invalid"] = _("Vul een jaartal in, bijvoorbeeld 1998.")

    def forget_identifying_input(self) -> None:
        """After an error the form is shown again without the identifying attributes."""
        data = self.data.copy()  # type: ignore[attr-defined]
        for name in IDENTIFYING_FIELDS:
            data.pop(name, None)
        self.data = data


class SignaalForm(IdentityForm):
    # What was seen first, the identifying attributes last (the page's and the errors' order).
    field_order = [
        "datum_waargenomen",
        "bron",
        "sector",
        "gemeente",
        "indicatoren",
        "niet_pluis",
        "urgentie",
        "omschrijving",
        "zichtbaarheid",
        *IDENTIFYING_FIELDS,
    ]

    datum_waargenomen = forms.DateField(
        label=_("Datum waargenomen"), widget=forms.DateInput(attrs={"type": "date"})
    )
    bron = forms.ChoiceField(label=_("Bron"), choices=Bron.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.ONBEKEND)
    gemeente = forms.TypedChoiceField(
        label=_("Gemeente"),
        choices=Gemeente.choices,
        initial=Gemeente.ONBEKEND,
        required=False,
        empty_value=Gemeente.ONBEKEND,
    )
    indicatoren = forms.MultipleChoiceField(
        label=_("Indicatoren"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    niet_pluis = forms.TypedChoiceField(
        label=_("Niet-pluisgevoel"),
        coerce=int,
        choices=[
            (0, _("0 — geen")),
            (1, _("1 — licht")),
            (2, _("2 — duidelijk")),
            (3, _("3 — sterk")),
        ],
        initial=0,
    )
    urgentie = forms.ChoiceField(
        label=_("Urgentie"), choices=Urgentie.choices, initial=Urgentie.NORMAAL
    )
    omschrijving = forms.CharField(
        label=_("Wat zag of hoorde u?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Beschrijf de situatie. Geen namen, geboortedata, telefoonnummers of adressen in deze tekst."
        ),
    )
    zichtbaarheid = forms.ChoiceField(
        label=_("Wie mag dit lezen als het bij een casus komt?"),
        choices=Zichtbaarheid.choices,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: Any, indicator_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicatoren"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above  # nosec B101
        field.choices = indicator_choices or []


class SignaalLinkForm(NlForm):
    referentie = forms.CharField(label=_("Referentie van de casus"), max_length=20)


class SignaalOpenCasusForm(NlForm):
    risico = forms.ChoiceField(label=_("Risico"), choices=Risico.choices)
    grondslag = forms.ChoiceField(label=_("Grondslag"), choices=Grondslag.choices)
    grondslag_toelichting = forms.CharField(
        label=_("Toelichting op de grondslag"), required=False, max_length=SHORT_TEXT_MAX_LENGTH
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Andere betrokken partners"),
        required=False,
        queryset=Partner.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De melder is altijd betrokken."),
    )
    reden = forms.CharField(
        label=_("Reden van betrokkenheid"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignaalCloseForm(NlForm):
    reden = forms.CharField(
        label=_("Waarom geen vervolg?"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
