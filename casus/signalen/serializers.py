"""API v1 serializers of signals and match hints (identifying attributes are write-only).

Input serializers only validate a request body and are never bound to an instance:
``Serializer[None]``."""

from __future__ import annotations

from typing import Any, NoReturn

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casus import policy
from casus.models import (
    Bron,
    Gemeente,
    Grondslag,
    Indicator,
    MatchHint,
    Risico,
    Sector,
    Signaal,
    SignaalStatus,
    Urgentie,
    Zichtbaarheid,
)
from partners.models import Partner


class MatchHintSerializer(serializers.ModelSerializer[MatchHint]):
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


# The states a reader may see of a signal: the real ones, and the neutral state of a signal
# whose fate its reporter may not learn (casus.policy.signaal_state_visible).
SIGNAAL_STATUS_SHOWN = [
    *SignaalStatus.choices,
    (policy.SIGNAAL_IN_BEHANDELING, policy.SIGNAAL_IN_BEHANDELING_LABEL),
]


class SignaalSerializer(serializers.ModelSerializer[Signaal]):
    """A signal as the reader may see it. The context carries the reader (``user``) and the
    casussen among the signals' that it may see (``visible_casus_ids``)."""

    id = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    partner = serializers.CharField(source="partner.name", read_only=True)
    indicatoren: serializers.SlugRelatedField[Indicator] = serializers.SlugRelatedField(
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

    def _state_visible(self, signaal: Signaal) -> bool:
        visible: set[int] = self.context.get("visible_casus_ids", set())
        user = self.context.get("user")
        return user is not None and policy.signaal_state_visible(
            user, signaal, casus_visible=signaal.casus_id in visible
        )

    @extend_schema_field(serializers.ChoiceField(choices=SIGNAAL_STATUS_SHOWN))
    def get_status(self, signaal: Signaal) -> str:
        """The real state, or "in_behandeling" while the reader may not learn what became of it."""
        return signaal.status if self._state_visible(signaal) else policy.SIGNAAL_IN_BEHANDELING

    def get_casus(self, signaal: Signaal) -> str | None:
        """The casus only for those who may see it and its state."""
        visible: set[int] = self.context.get("visible_casus_ids", set())
        if self._state_visible(signaal) and signaal.casus_id in visible and signaal.casus:
            return signaal.casus.referentie
        return None


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


class SignaalDetailSchemaSerializer(SignaalSerializer):
    """The documented answer of a signal's detail: ``match_hints`` only for the zorgcoördinator
    (absent, not empty, for everyone else), so the schema says it is optional."""

    match_hints = MatchHintSerializer(many=True, required=False)

    class Meta(SignaalSerializer.Meta):
        fields = [*SignaalSerializer.Meta.fields, "match_hints"]
        read_only_fields = SignaalSerializer.Meta.fields
        ref_name = "SignaalDetail"


class SignaalCreateSerializer(serializers.Serializer[None]):
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

    def to_representation(self, instance: object) -> NoReturn:  # never echo input back
        raise NotImplementedError


class SignaalLinkSerializer(serializers.Serializer[None]):
    referentie = serializers.CharField(max_length=20)


class SignaalOpenCasusSerializer(serializers.Serializer[None]):
    risico = serializers.ChoiceField(choices=Risico.choices)
    grondslag = serializers.ChoiceField(choices=Grondslag.choices)
    grondslag_toelichting = serializers.CharField(required=False, allow_blank=True, default="")
    partners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Partner.objects.filter(is_active=True), required=False, default=list
    )
    reden = serializers.CharField(allow_blank=True)


class SignaalCloseSerializer(serializers.Serializer[None]):
    reden = serializers.CharField(allow_blank=True)
