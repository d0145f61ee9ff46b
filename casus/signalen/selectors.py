"""Permission-checked reads of signals and match hints. Missing and forbidden are the same 404;
reading a signal writes an access event."""

from __future__ import annotations

from django.db.models import Case, Prefetch, QuerySet, When

from audit.models import AuditAction
from audit.services import ObjectRef, denied, event_record, events_record_bulk
from casus import policy
from casus.models import (
    Casus,
    MatchHint,
    Signaal,
    SignaalStatus,
    Urgentie,
)
from partners.models import User


def signaal_list_for(*, user: User, eigen: bool = True) -> QuerySet[Signaal]:
    """The signals of the user's own partner (what it reported and their state)."""
    queryset = policy.visible_signalen(user)
    if eigen:
        queryset = queryset.filter(partner_id=user.partner_id)
    return queryset.select_related("auteur", "casus", "partner")


def inbox_for(*, user: User) -> QuerySet[Signaal]:
    """Untriaged signals for the zorgcoördinator, most urgent first, with their match hints."""
    if not policy.can_triage(user):
        return Signaal.objects.none()
    return (
        policy.visible_signalen(user)
        .filter(status=SignaalStatus.NIEUW)
        .select_related("partner", "auteur")
        .prefetch_related(
            Prefetch(
                "match_hints", queryset=MatchHint.objects.select_related("ander_signaal__casus")
            )
        )
        .order_by(
            Case(
                When(urgentie=Urgentie.ACUUT, then=0),
                When(urgentie=Urgentie.HOOG, then=1),
                default=2,
            ),
            "aangemaakt_op",
        )
    )


def signalen_shown(*, user: User, signalen: list[Signaal]) -> None:
    if signalen:
        events_record_bulk(
            action=AuditAction.SIGNAAL_LISTED,
            actor=user,
            objects=[ObjectRef("signaal", f"S{s.pk}") for s in signalen],
        )


def signaal_get_for(*, user: User, pk: int, record_read: bool = True) -> Signaal:
    signaal = (
        policy.visible_signalen(user)
        .select_related("partner", "auteur", "casus", "lijst")
        .prefetch_related("indicatoren")
        .filter(pk=pk)
        .first()
    )
    if signaal is None:
        raise denied(user, "signaal", f"S{pk}")
    if record_read:
        event_record(
            action=AuditAction.SIGNAAL_READ, actor=user, object_type="signaal", object_ref=f"S{pk}"
        )
    return signaal


def match_hints_for(*, user: User, signaal: Signaal) -> list[MatchHint]:
    """Only for zorgcoördinatoren (an empty list for anyone else); viewing them is an event."""
    if not policy.can_view_matches(user):
        return []
    hints = list(
        signaal.match_hints.select_related("ander_signaal__casus", "ander_signaal__partner")
    )
    if hints:
        event_record(
            action=AuditAction.MATCH_VIEWED,
            actor=user,
            object_type="signaal",
            object_ref=f"S{signaal.pk}",
        )
    return hints


def signaal_casus_visible(*, user: User, signaal: Signaal) -> bool:
    """The reporter sees that its signal was linked, but the casus only when involved."""
    return (
        signaal.casus_id is not None
        and policy.visible_casussen(user).filter(pk=signaal.casus_id).exists()
    )


def signalen_for_casus(*, user: User, casus: Casus) -> QuerySet[Signaal]:
    return policy.visible_signalen(user).filter(casus=casus).select_related("partner", "auteur")
