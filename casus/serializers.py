"""API representations of case content. Input is shaped here; the services validate and decide."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from casus.models import (
    Afspraak,
    Bijdrage,
    Bron,
    Casus,
    Categorie,
    Gemeente,
    Grondslag,
    MatchHint,
    Overleg,
    Risico,
    Sector,
    Signaal,
    Status,
    Uitkomst,
    Urgentie,
    Zichtbaarheid,
)
from partners.models import Partner


class PartnerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "kind"]


class CasusSerializer(serializers.ModelSerializer):
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


class CasusOpenSerializer(serializers.Serializer):
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


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")


class BijdrageSerializer(serializers.ModelSerializer):
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


class BijdrageCreateSerializer(serializers.Serializer):
    categorie = serializers.ChoiceField(choices=Categorie.choices)
    zichtbaarheid = serializers.ChoiceField(choices=Zichtbaarheid.choices)
    tekst = serializers.CharField(allow_blank=True)


class AfspraakSerializer(serializers.ModelSerializer):
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


class AfspraakCreateSerializer(serializers.Serializer):
    casus = serializers.CharField(max_length=20)
    omschrijving = serializers.CharField(allow_blank=True)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    deadline = serializers.DateField()


class AfspraakUpdateSerializer(serializers.Serializer):
    versie = serializers.IntegerField(min_value=1)
    uitkomst = serializers.ChoiceField(choices=Uitkomst.choices)
    uitkomst_toelichting = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


# --- signalen ------------------------------------------------------------------------------------


class MatchHintSerializer(serializers.ModelSerializer):
    ander_signaal = serializers.SerializerMethodField()
    casus = serializers.SerializerMethodField()

    class Meta:
        model = MatchHint
        fields = ["ander_signaal", "casus", "soorten", "sterkte", "aangemaakt_op"]
        read_only_fields = fields

    def get_ander_signaal(self, hint: MatchHint) -> str:
        return f"S{hint.ander_signaal_id}"

    def get_casus(self, hint: MatchHint) -> str | None:
        casus = hint.ander_signaal.casus
        return casus.referentie if casus else None


class SignaalSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField()
    partner = serializers.CharField(source="partner.name", read_only=True)
    indicatoren: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    signalenlijst = serializers.IntegerField(source="lijst.versie", read_only=True)
    casus = serializers.SerializerMethodField()

    class Meta:
        model = Signaal
        fields = [
            "id",
            "status",
            "partner",
            "datum_waargenomen",
            "bron",
            "sector",
            "gemeente",
            "signalenlijst",
            "indicatoren",
            "niet_pluis",
            "urgentie",
            "omschrijving",
            "zichtbaarheid",
            "casus",
            "aangemaakt_op",
        ]
        read_only_fields = fields

    def get_id(self, signaal: Signaal) -> str:
        return f"S{signaal.pk}"

    def get_casus(self, signaal: Signaal) -> str | None:
        """The casus only for those who may see it; the reporter otherwise sees the state."""
        visible: set[int] = self.context.get("visible_casus_ids", set())
        return signaal.casus.referentie if signaal.casus_id in visible and signaal.casus else None


class SignaalDetailSerializer(SignaalSerializer):
    match_hints = serializers.SerializerMethodField()

    class Meta(SignaalSerializer.Meta):
        fields = [*SignaalSerializer.Meta.fields, "match_hints"]
        read_only_fields = fields

    def get_match_hints(self, signaal: Signaal) -> list[dict[str, Any]] | None:
        hints = self.context.get("hints")
        if hints is None:
            return None
        return list(MatchHintSerializer(hints, many=True).data)


class SignaalCreateSerializer(serializers.Serializer):
    datum_waargenomen = serializers.DateField()
    bron = serializers.ChoiceField(choices=Bron.choices)
    sector = serializers.ChoiceField(choices=Sector.choices)
    gemeente = serializers.ChoiceField(choices=Gemeente.choices, default=Gemeente.ONBEKEND)
    indicatoren = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list
    )
    niet_pluis = serializers.IntegerField(min_value=0, max_value=3, default=0)
    urgentie = serializers.ChoiceField(choices=Urgentie.choices, default=Urgentie.NORMAAL)
    omschrijving = serializers.CharField(allow_blank=True)
    zichtbaarheid = serializers.ChoiceField(choices=Zichtbaarheid.choices)
    # Identifying attributes: write-only, turned into tokens and discarded; never returned.
    voornamen = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=100
    )
    achternaam = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=100
    )
    geboortedatum = serializers.DateField(required=False, allow_null=True, write_only=True)
    geboortejaar = serializers.IntegerField(
        required=False, allow_null=True, write_only=True, min_value=1900, max_value=2100
    )
    land = serializers.CharField(required=False, allow_blank=True, write_only=True, max_length=60)
    werknaam = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=60
    )
    telefoon = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=30
    )

    def to_representation(self, instance: Any) -> Any:  # never echo input back
        raise NotImplementedError


class SignaalLinkSerializer(serializers.Serializer):
    referentie = serializers.CharField(max_length=20)


class SignaalOpenCasusSerializer(serializers.Serializer):
    risico = serializers.ChoiceField(choices=Risico.choices)
    grondslag = serializers.ChoiceField(choices=Grondslag.choices)
    grondslag_toelichting = serializers.CharField(required=False, allow_blank=True, default="")
    partners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Partner.objects.filter(is_active=True), required=False, default=list
    )
    reden = serializers.CharField(allow_blank=True)


class SignaalCloseSerializer(serializers.Serializer):
    reden = serializers.CharField(allow_blank=True)


# --- ketenoverleg --------------------------------------------------------------------------------


class OverlegSerializer(serializers.ModelSerializer):
    serie = serializers.CharField(source="serie.naam", read_only=True)
    voorzitter = serializers.CharField(source="voorzitter.username", read_only=True)

    class Meta:
        model = Overleg
        fields = ["id", "serie", "datum", "plaats", "voorzitter", "status", "agenda_gegenereerd_op"]
        read_only_fields = fields


class AgendaRegelSerializer(serializers.Serializer):
    """One agenda line as the reader may see it: a shielded item has its number only."""

    nummer = serializers.IntegerField()
    soort = serializers.CharField()
    afgeschermd = serializers.BooleanField()
    referentie = serializers.CharField(allow_blank=True)
    risico = serializers.CharField(allow_blank=True)
    redenen = serializers.ListField(child=serializers.CharField())
    partners = serializers.ListField(child=serializers.CharField())
    open_afspraken = serializers.SerializerMethodField()

    def get_open_afspraken(self, regel: Any) -> int:
        return len(regel.open_afspraken)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.afgeschermd:
            return {"nummer": data["nummer"], "soort": data["soort"], "afgeschermd": True}
        return data
