"""Forms for the casus pages. Validation that matters lives in the services; forms shape input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casus.models import (
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Bron,
    Categorie,
    Gemeente,
    Grondslag,
    Risico,
    Sector,
    Status,
    Uitkomst,
    Urgentie,
    Zichtbaarheid,
)
from config.forms import NlForm
from partners.models import Partner

ZICHTBAARHEID_UITLEG = {
    Zichtbaarheid.KETEN: _(
        "Iedereen van de partners die bij deze casus betrokken zijn, kan dit lezen."
    ),
    Zichtbaarheid.REGIE: _("Alleen uw eigen organisatie en de zorgcoördinatoren kunnen dit lezen."),
    Zichtbaarheid.INTERN: _("Alleen collega's van uw eigen organisatie kunnen dit lezen."),
}


class CasusFilterForm(NlForm):
    zoek = forms.CharField(label=_("Zoek op referentie"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle")), *Status.choices]
    )
    risico = forms.ChoiceField(
        label=_("Risico"), required=False, choices=[("", _("Alle")), *Risico.choices]
    )
    eigen = forms.BooleanField(
        label=_("Alleen waar mijn organisatie bij betrokken is"), required=False
    )


class CasusOpenForm(NlForm):
    risico = forms.ChoiceField(label=_("Risico"), choices=Risico.choices)
    grondslag = forms.ChoiceField(label=_("Grondslag"), choices=Grondslag.choices)
    grondslag_toelichting = forms.CharField(
        label=_("Toelichting op de grondslag"),
        required=False,
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij 'Overig'."),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.ONBEKEND)
    gemeente = forms.TypedChoiceField(
        label=_("Gemeente"),
        choices=Gemeente.choices,
        initial=Gemeente.ONBEKEND,
        required=False,
        empty_value=Gemeente.ONBEKEND,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Betrokken partners"),
        queryset=Partner.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Elke betrokken partner krijgt toegang tot de casus."),
    )
    reden = forms.CharField(
        label=_("Reden van betrokkenheid"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Waarom deze partners deze casus moeten kunnen zien."),
    )
    veilig_om_te_bellen = forms.BooleanField(label=_("Veilig om te bellen"), required=False)
    tolk_nodig = forms.BooleanField(label=_("Tolk nodig"), required=False)


class StatusForm(NlForm):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=Status.choices)
    toelichting = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BetrokkenheidForm(NlForm):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.filter(is_active=True)
    )
    reden = forms.CharField(
        label=_("Reden"), max_length=SHORT_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    grondslag = forms.ChoiceField(label=_("Grondslag"), choices=Grondslag.choices)
    grondslag_toelichting = forms.CharField(
        label=_("Toelichting op de grondslag"), required=False, max_length=SHORT_TEXT_MAX_LENGTH
    )


class BetrokkenheidRemoveForm(NlForm):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.all())


class BijdrageForm(NlForm):
    categorie = forms.ChoiceField(label=_("Categorie"), choices=Categorie.choices)
    zichtbaarheid = forms.ChoiceField(
        label=_("Wie mag dit lezen?"), choices=Zichtbaarheid.choices, widget=forms.RadioSelect
    )
    tekst = forms.CharField(
        label=_("Bijdrage"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Schrijf geen namen, geboortedata, telefoonnummers of adressen."),
    )


class ZichtbaarheidForm(NlForm):
    zichtbaarheid = forms.ChoiceField(label=_("Wie mag dit lezen?"), choices=Zichtbaarheid.choices)


class AfspraakForm(NlForm):
    omschrijving = forms.CharField(
        label=_("Wat is afgesproken?"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    partner = forms.ModelChoiceField(
        label=_("Door welke partner?"), queryset=Partner.objects.none()
    )
    deadline = forms.DateField(
        label=_("Uiterste datum"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, partners: list[Partner] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Partner.objects.filter(pk__in=[p.pk for p in partners or []])


class AfspraakUpdateForm(NlForm):
    uitkomst = forms.ChoiceField(label=_("Uitkomst"), choices=Uitkomst.choices)
    uitkomst_toelichting = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij 'niet mogelijk' en 'niet uitgevoerd'."),
    )
    deadline = forms.DateField(
        label=_("Uiterste datum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    versie = forms.IntegerField(widget=forms.HiddenInput)


class AgenderingForm(NlForm):
    reden = forms.CharField(
        label=_("Waarom wilt u deze casus bespreken?"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- signalen ------------------------------------------------------------------------------------

IDENTIFYING_FIELDS = (
    "voornamen",
    "achternaam",
    "geboortedatum",
    "geboortejaar",
    "land",
    "werknaam",
    "telefoon",
)


class SignaalForm(NlForm):
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
    # Identifying attributes: turned into pseudonym tokens and discarded; never shown again.
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

    def __init__(
        self, *args: Any, indicator_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicatoren"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = indicator_choices or []
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


# --- ketenoverleg --------------------------------------------------------------------------------


class AgendaAddForm(NlForm):
    referentie = forms.CharField(label=_("Casus toevoegen (referentie)"), max_length=20)


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
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
        field.queryset = partners if partners is not None else Partner.objects.none()


class LegalHoldForm(NlForm):
    referentie = forms.CharField(
        label=_("Referentie van de casus of het signaal"),
        max_length=20,
        help_text=_("Bijvoorbeeld K-2026-0001 of S12."),
    )
    reden = forms.CharField(
        label=_("Reden"), max_length=SHORT_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- rights of data subjects ---------------------------------------------------------------------


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
