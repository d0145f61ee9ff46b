"""Permission-checked reads of signals and match hints. Missing and forbidden are the same 404;
reading a signal writes an access event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Prefetch, QuerySet, When
from django.utils.functional import Promise

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
from casus.signalen import pseudonym
from partners.models import User


def signaal_list_for(*, user: User, eigen: bool = True) -> QuerySet[Signaal]:
    """The signals of the user's own partner (what it reported), whatever became of them: a
    signal linked to a casus elsewhere stays on the list, in its neutral state
    (``signaal_regels``)."""
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


def visible_casus_ids(*, user: User, signalen: Iterable[Signaal]) -> set[int]:
    """Of the casussen these signals are linked to, those the user may see (one query)."""
    casus_ids = {s.casus_id for s in signalen if s.casus_id}
    if not casus_ids:
        return set()
    return set(policy.visible_casussen(user).filter(pk__in=casus_ids).values_list("pk", flat=True))


def signaal_casus_visible(*, user: User, signaal: Signaal) -> bool:
    """The signal is linked to a casus the user may see (its partner is involved)."""
    return signaal.casus_id in visible_casus_ids(user=user, signalen=[signaal])


@dataclass(frozen=True)
class SignaalRegel:
    """A signal as this reader may see its state: the real one with the link to its casus,
    or the neutral "In behandeling bij de zorgcoördinator" (casus.policy.signaal_state_visible)."""

    signaal: Signaal
    status: str
    status_label: str | Promise
    casus_zichtbaar: bool  # the reader may see and open the casus it is linked to


def signaal_regels(*, user: User, signalen: list[Signaal]) -> list[SignaalRegel]:
    """The signals with the state each reader may see, in one query for a whole page."""
    visible = visible_casus_ids(user=user, signalen=signalen)
    regels = []
    for signaal in signalen:
        casus_visible = signaal.casus_id in visible
        status, label = policy.signaal_status_shown(user, signaal, casus_visible=casus_visible)
        shown = policy.signaal_state_visible(user, signaal, casus_visible=casus_visible)
        regels.append(SignaalRegel(signaal, status, label, shown and casus_visible))
    return regels


def signalen_for_casus(*, user: User, casus: Casus) -> QuerySet[Signaal]:
    return policy.visible_signalen(user).filter(casus=casus).select_related("partner", "auteur")


def suggested_casus(hints: Iterable[MatchHint]) -> Casus | None:
    """The casus of the strongest person-match hint (a 'gedeeld' phone is no suggestion)."""
    ranked = sorted(
        (h for h in hints if h.is_person_match and h.ander_signaal.casus is not None),
        key=lambda h: pseudonym.PERSON_MATCH_TIERS.index(h.sterkte),
    )
    return ranked[0].ander_signaal.casus if ranked else None
