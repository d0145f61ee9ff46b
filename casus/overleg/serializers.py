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
    """One agenda line as the reader may see it: a shielded item has its number, kind and
    ``afgeschermd`` only (so the schema marks the other fields optional)."""

    nummer = serializers.IntegerField()
    soort = serializers.CharField()
    afgeschermd = serializers.BooleanField()
    referentie = serializers.CharField(allow_blank=True, required=False)
    risico = serializers.CharField(allow_blank=True, required=False)
    redenen = serializers.ListField(child=serializers.CharField(), required=False)
    partners = serializers.ListField(child=serializers.CharField(), required=False)
    open_afspraken = serializers.IntegerField(
        required=False, help_text="Het aantal open afspraken bij de casus."
    )

    def to_representation(self, instance: AgendaRegel) -> dict[str, Any]:
        if instance.afgeschermd:
            return {"nummer": instance.nummer, "soort": instance.soort, "afgeschermd": True}
        return {
            "nummer": instance.nummer,
            "soort": instance.soort,
            "afgeschermd": False,
            "referentie": instance.referentie,
            "risico": instance.risico,
            "redenen": list(instance.redenen),
            "partners": list(instance.partners),
            "open_afspraken": len(instance.open_afspraken),
        }
