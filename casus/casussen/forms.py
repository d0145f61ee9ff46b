"""Forms of the casus pages. Errors are Dutch and name the field; the user's input is kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casus.models import (
    CHOSEN_OUTCOMES,
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    CasusUitkomst,
    Categorie,
    Gemeente,
    Grondslag,
    Risico,
    Sector,
    Status,
    Uitkomst,
    Zichtbaarheid,
)
from config.kernel.forms import NlForm
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
    uitkomst = forms.ChoiceField(
        label=_("Uitkomst (bij afsluiten)"),
        required=False,
        choices=[("", _("Kies bij afsluiten hoe de casus eindigde"))]
        + [(value, label) for value, label in CasusUitkomst.choices if value in CHOSEN_OUTCOMES],
        help_text=_("Verplicht als u de casus afsluit; telt mee in de trendcijfers."),
    )
    toelichting = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RisicoForm(NlForm):
    risico = forms.ChoiceField(
        label=_("Nieuw risiconiveau"), choices=[("", _("Kies een risiconiveau")), *Risico.choices]
    )
    reden = forms.CharField(
        label=_("Reden van de wijziging"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GegevensForm(NlForm):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    gemeente = forms.ChoiceField(label=_("Gemeente"), choices=Gemeente.choices)
    veilig_om_te_bellen = forms.BooleanField(label=_("Veilig om te bellen"), required=False)
    tolk_nodig = forms.BooleanField(label=_("Tolk nodig"), required=False)


class AfsluitvoorstelForm(NlForm):
    intrekken = forms.BooleanField(required=False, widget=forms.HiddenInput)


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
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above  # nosec B101
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
