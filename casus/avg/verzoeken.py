"""Rights of data subjects (AVG art. 15-17): access, rectification of a wrong match, erasure.

The FG registers a request. A zorgcoördinator enters the identifying data the person presents;
the platform computes the tokens, finds the signals that probably concern this person (the
product's match rule, so a near-identical name of someone else does not count) and their
casussen, and compiles a report of all data held plus which organisations and roles accessed
it, and when. The identifying data are not stored. The FG sees that a report was made, when,
by whom and which categories it covers: never its content.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent
from audit.services import event_record
from casus.avg import retention
from casus.models import (
    Afspraak,
    Bijdrage,
    Casus,
    InzageStatus,
    Inzageverzoek,
    MatchHint,
    PseudoniemToken,
    Signaal,
    StatusWijziging,
)
from casus.signalen import matching, pseudonym
from partners.models import User
from partners.policy import Permission, has_permission


def verzoek_ref(verzoek: Inzageverzoek) -> str:
    return f"V{verzoek.pk}"


def _audit(action: AuditAction, actor: User, verzoek: Inzageverzoek) -> None:
    event_record(
        action=action,
        actor=actor,
        purpose="wettelijke_taak",
        object_type="verzoek",
        object_ref=verzoek_ref(verzoek),
    )


def _require_fg(actor: User) -> None:
    if not has_permission(actor, Permission.AVG_REPORTS):
        raise PermissionDenied


def _require_compiler(actor: User, verzoek: Inzageverzoek) -> None:
    """A zorgcoördinator compiles; once compiled, only that coordinator sees the content."""
    if not has_permission(actor, Permission.SIGNAAL_TRIAGE):
        raise PermissionDenied
    if verzoek.samengesteld_door_id not in (None, actor.pk):
        raise PermissionDenied


@transaction.atomic
def verzoek_register(
    *, actor: User, ontvangen_op: datetime.date | None, soort: str = "inzage"
) -> Inzageverzoek:
    _require_fg(actor)
    if ontvangen_op is None:
        raise ValidationError({"ontvangen_op": [_("Dit veld is verplicht.")]})
    if ontvangen_op > timezone.localdate():
        raise ValidationError({"ontvangen_op": [_("De datum ligt in de toekomst.")]})
    if soort not in {"inzage", "rectificatie", "wissing"}:
        raise ValidationError({"soort": [_("Kies een geldige waarde.")]})
    verzoek = Inzageverzoek.objects.create(
        ontvangen_op=ontvangen_op, soort=soort, geregistreerd_door=actor
    )
    _audit(AuditAction.REQUEST_REGISTERED, actor, verzoek)
    return verzoek


@dataclass
class Toegang:
    partner: str
    rol: str
    actie: str
    eerste: datetime.datetime
    laatste: datetime.datetime
    aantal: int


@dataclass
class Rapport:
    signalen: list[Signaal] = field(default_factory=list)
    casussen: list[Casus] = field(default_factory=list)
    bijdragen: dict[int, list[Bijdrage]] = field(default_factory=dict)
    afspraken: dict[int, list[Afspraak]] = field(default_factory=dict)
    statussen: dict[int, list[StatusWijziging]] = field(default_factory=dict)
    toegang: list[Toegang] = field(default_factory=list)

    @property
    def categorieen(self) -> list[str]:
        found = []
        if self.signalen:
            found.append("signalen")
        if self.casussen:
            found.append("casussen")
        if any(self.bijdragen.values()):
            found.append("bijdragen")
        if any(self.afspraken.values()):
            found.append("afspraken")
        if self.toegang:
            found.append("toegang")
        return found


def matching_signals(attributes: pseudonym.IdentifyingAttributes) -> list[int]:
    """Signals that probably concern this person: the same rule as the match hints."""
    return [match.signaal_id for match in matching.probable_matches(attributes)]


def _build(signal_ids: list[int]) -> Rapport:
    signalen = list(
        Signaal.objects.filter(pk__in=signal_ids)
        .select_related("partner", "casus", "lijst")
        .prefetch_related("indicatoren")
    )
    casussen = sorted(
        {s.casus for s in signalen if s.casus is not None}, key=lambda c: c.referentie
    )
    casus_ids = [c.pk for c in casussen]
    rapport = Rapport(signalen=signalen, casussen=casussen)
    for bijdrage in Bijdrage.objects.filter(casus_id__in=casus_ids).select_related("partner"):
        rapport.bijdragen.setdefault(bijdrage.casus_id, []).append(bijdrage)
    for afspraak in Afspraak.objects.filter(casus_id__in=casus_ids).select_related("partner"):
        rapport.afspraken.setdefault(afspraak.casus_id, []).append(afspraak)
    for change in StatusWijziging.objects.filter(casus_id__in=casus_ids):
        rapport.statussen.setdefault(change.casus_id, []).append(change)
    refs = [c.referentie for c in casussen]
    condition = Q(object_type="signaal", object_ref__in=[f"S{pk}" for pk in signal_ids])
    if refs:
        condition |= Q(object_ref__in=refs)
        for ref in refs:
            condition |= Q(object_ref__startswith=f"{ref}:")
    grouped: dict[tuple[str, str, str], list[datetime.datetime]] = defaultdict(list)
    for partner, rol, action, moment in (
        AuditEvent.objects.filter(condition, actor__isnull=False)
        .values_list("actor_partner__name", "actor_role", "action", "occurred_at")
        .order_by("occurred_at")
    ):
        grouped[(partner or "", rol, action)].append(moment)
    rapport.toegang = [
        Toegang(partner, rol, action, moments[0], moments[-1], len(moments))
        for (partner, rol, action), moments in sorted(grouped.items())
    ]
    return rapport


@transaction.atomic
def verzoek_compile(
    *, actor: User, verzoek: Inzageverzoek, attributes: pseudonym.IdentifyingAttributes
) -> Rapport:
    """Find what the platform holds about the person and compile the report."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    _require_compiler(actor, verzoek)
    if verzoek.status == InzageStatus.AFGEROND:
        raise ValidationError({"__all__": [_("Dit verzoek is al afgerond.")]})
    if attributes.is_empty():
        raise ValidationError(
            {"__all__": [_("Vul ten minste de naam en geboortedatum of een telefoonnummer in.")]}
        )
    signal_ids = matching_signals(attributes)
    rapport = _build(signal_ids)
    verzoek.gevonden = json.dumps(signal_ids)
    verzoek.status = InzageStatus.SAMENGESTELD
    verzoek.samengesteld_door = actor
    verzoek.samengesteld_op = timezone.now()
    verzoek.categorieen = rapport.categorieen
    verzoek.save(
        update_fields=["gevonden", "status", "samengesteld_door", "samengesteld_op", "categorieen"]
    )
    _audit(AuditAction.REQUEST_COMPILED, actor, verzoek)
    return rapport


def rapport_for(*, actor: User, verzoek: Inzageverzoek, pdf: bool = False) -> Rapport:
    """The compiled report again, for its compiler: every reading (page or PDF) is an event."""
    _require_compiler(actor, verzoek)
    if verzoek.status != InzageStatus.SAMENGESTELD:
        raise PermissionDenied
    rapport = _build(json.loads(verzoek.gevonden or "[]"))
    _audit(
        AuditAction.REQUEST_REPORT_EXPORTED if pdf else AuditAction.REQUEST_REPORT_READ,
        actor,
        verzoek,
    )
    return rapport


@transaction.atomic
def verzoek_unlink(*, actor: User, verzoek: Inzageverzoek, signaal_id: int) -> None:
    """Rectification: the person says a matched signal is not about them. Its tokens and
    hints go, so it no longer links to this person; the signal itself stays."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    _require_compiler(actor, verzoek)
    found = json.loads(verzoek.gevonden or "[]")
    if signaal_id not in found:
        raise PermissionDenied
    PseudoniemToken.objects.filter(signaal_id=signaal_id).delete()
    MatchHint.objects.filter(Q(signaal_id=signaal_id) | Q(ander_signaal_id=signaal_id)).delete()
    verzoek.gevonden = json.dumps([pk for pk in found if pk != signaal_id])
    verzoek.save(update_fields=["gevonden"])
    _audit(AuditAction.REQUEST_UNLINKED, actor, verzoek)


@transaction.atomic
def verzoek_erase(*, actor: User, verzoek: Inzageverzoek) -> list[str]:
    """Erasure: purge the person's casussen and signals now, unless a legal hold applies.
    Returns the references kept because of a hold."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    _require_compiler(actor, verzoek)
    rapport = _build(json.loads(verzoek.gevonden or "[]"))
    kept = []
    for casus in rapport.casussen:
        if not retention.casus_purge(casus=casus):
            kept.append(casus.referentie)
    for signaal in rapport.signalen:
        if signaal.casus_id is None and not retention.signaal_purge(signaal=signaal):
            kept.append(f"S{signaal.pk}")
    remaining = [s.pk for s in rapport.signalen if Signaal.objects.filter(pk=s.pk).exists()]
    verzoek.gevonden = json.dumps(remaining)
    verzoek.save(update_fields=["gevonden"])
    _audit(AuditAction.REQUEST_ERASED, actor, verzoek)
    return kept


@transaction.atomic
def verzoek_close(*, actor: User, verzoek: Inzageverzoek) -> Inzageverzoek:
    """Closing forgets which signals matched: the link to the person is not kept."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    if not (
        has_permission(actor, Permission.AVG_REPORTS) or verzoek.samengesteld_door_id == actor.pk
    ):
        raise PermissionDenied
    verzoek.gevonden = ""
    verzoek.status = InzageStatus.AFGEROND
    verzoek.afgerond_op = timezone.now()
    verzoek.save(update_fields=["gevonden", "status", "afgerond_op"])
    _audit(AuditAction.REQUEST_CLOSED, actor, verzoek)
    return verzoek
