"""API v1 serializers of casussen, bijdragen and afspraken.

Input serializers only validate a request body and are never bound to an instance:
``Serializer[None]``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from casus.models import (
    CHOSEN_OUTCOMES,
    Afspraak,
    Bijdrage,
    Casus,
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
from partners.models import Partner


class PartnerRefSerializer(serializers.ModelSerializer[Partner]):
    class Meta:
        model = Partner
        fields = ["id", "name", "kind"]


class CasusSerializer(serializers.ModelSerializer[Casus]):
    coordinator = serializers.CharField(source="coordinator.username", read_only=True)
    betrokken_partners = serializers.SerializerMethodField()

    class Meta:
        model = Casus
        fields = [
            "referentie",
            "status",
            "risico",
            "grondslag",
            "sector",
            "gemeente",
            "coordinator",
            "veilig_om_te_bellen",
            "tolk_nodig",
            "geopend_op",
            "afgesloten_op",
            "betrokken_partners",
        ]
        read_only_fields = fields

    def get_betrokken_partners(self, casus: Casus) -> list[dict[str, Any]]:
        betrokkenheden = getattr(casus, "actieve_betrokkenheden", None)
        if betrokkenheden is None:
            betrokkenheden = casus.betrokkenheden.filter(beeindigd_op__isnull=True).select_related(
                "partner"
            )
        return [PartnerRefSerializer(b.partner).data for b in betrokkenheden]


class CasusDetailSerializer(CasusSerializer):
    class Meta(CasusSerializer.Meta):
        fields = [*CasusSerializer.Meta.fields, "grondslag_toelichting"]
        read_only_fields = fields


class CasusOpenSerializer(serializers.Serializer[None]):
    risico = serializers.ChoiceField(choices=Risico.choices)
    grondslag = serializers.ChoiceField(choices=Grondslag.choices)
    grondslag_toelichting = serializers.CharField(required=False, allow_blank=True, default="")
    sector = serializers.ChoiceField(choices=Sector.choices, default=Sector.ONBEKEND)
    gemeente = serializers.ChoiceField(choices=Gemeente.choices, default=Gemeente.ONBEKEND)
    partners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Partner.objects.filter(is_active=True)
    )
    reden = serializers.CharField(allow_blank=True)
    veilig_om_te_bellen = serializers.BooleanField(default=False)
    tolk_nodig = serializers.BooleanField(default=False)


# The outcomes a person closing a casus may choose (named in the schema: ENUM_NAME_OVERRIDES).
CLOSING_OUTCOME_CHOICES = [c for c in CasusUitkomst.choices if c[0] in CHOSEN_OUTCOMES]


class StatusChangeSerializer(serializers.Serializer[None]):
    status = serializers.ChoiceField(choices=Status.choices)
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")
    uitkomst = serializers.ChoiceField(
        choices=CLOSING_OUTCOME_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        help_text="Verplicht bij afsluiten: hoe de casus eindigde.",
    )


class RisicoChangeSerializer(serializers.Serializer[None]):
    risico = serializers.ChoiceField(choices=Risico.choices)
    reden = serializers.CharField(allow_blank=True)


class AfsluitvoorstelSerializer(serializers.Serializer[None]):
    intrekken = serializers.BooleanField(default=False)


class BijdrageSerializer(serializers.ModelSerializer[Bijdrage]):
    auteur = serializers.CharField(source="auteur.username", read_only=True)
    partner = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = Bijdrage
        fields = [
            "id",
            "auteur",
            "partner",
            "rol",
            "categorie",
            "zichtbaarheid",
            "tekst",
            "aangemaakt_op",
        ]
        read_only_fields = fields


class BijdrageCreateSerializer(serializers.Serializer[None]):
    categorie = serializers.ChoiceField(choices=Categorie.choices)
    zichtbaarheid = serializers.ChoiceField(choices=Zichtbaarheid.choices)
    tekst = serializers.CharField(allow_blank=True)


class AfspraakSerializer(serializers.ModelSerializer[Afspraak]):
    casus = serializers.CharField(source="casus.referentie", read_only=True)
    partner = PartnerRefSerializer(read_only=True)

    class Meta:
        model = Afspraak
        fields = [
            "id",
            "casus",
            "omschrijving",
            "partner",
            "deadline",
            "uitkomst",
            "uitkomst_toelichting",
            "versie",
            "aangemaakt_op",
        ]
        read_only_fields = fields


class AfspraakCreateSerializer(serializers.Serializer[None]):
    casus = serializers.CharField(max_length=20)
    omschrijving = serializers.CharField(allow_blank=True)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    deadline = serializers.DateField()


class AfspraakUpdateSerializer(serializers.Serializer[None]):
    versie = serializers.IntegerField(min_value=1)
    uitkomst = serializers.ChoiceField(choices=Uitkomst.choices)
    uitkomst_toelichting = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
