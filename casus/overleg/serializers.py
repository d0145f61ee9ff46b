"""API v1 serializers of meetings and their redacted agenda."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from casus.models import Overleg
from casus.overleg.selectors import AgendaRegel


class OverlegSerializer(serializers.ModelSerializer[Overleg]):
    serie = serializers.CharField(source="serie.naam", read_only=True)
    voorzitter = serializers.CharField(source="voorzitter.username", read_only=True)

    class Meta:
        model = Overleg
        fields = ["id", "serie", "datum", "plaats", "voorzitter", "status", "agenda_gegenereerd_op"]
        read_only_fields = fields


class AgendaRegelSerializer(serializers.Serializer[AgendaRegel]):
    """One agenda line as the reader may see it: a shielded item has its number only."""

    nummer = serializers.IntegerField()
    soort = serializers.CharField()
    afgeschermd = serializers.BooleanField()
    referentie = serializers.CharField(allow_blank=True)
    risico = serializers.CharField(allow_blank=True)
    redenen = serializers.ListField(child=serializers.CharField())
    partners = serializers.ListField(child=serializers.CharField())
    open_afspraken = serializers.SerializerMethodField()

    def get_open_afspraken(self, regel: AgendaRegel) -> int:
        return len(regel.open_afspraken)

    def to_representation(self, instance: AgendaRegel) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.afgeschermd:
            return {"nummer": data["nummer"], "soort": data["soort"], "afgeschermd": True}
        return data
