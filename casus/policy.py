"""Who may see and do what with case content (PRODUCT.md §5). The one place that decides it.

Every selector filters through here, and django-guardian is called only from this module.
Visibility is expressed as database filters, so lists never loop over objects.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.models import Permission as AuthPermission
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.signals import post_migrate
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guardian.shortcuts import assign_perm, remove_perm

from casus.models import (
    Afspraak,
    Bijdrage,
    Casus,
    CasusGroupObjectPermission,
    Grondslag,
    Overleg,
    OverlegSerie,
    OverlegStatus,
    Signaal,
    SignaalStatus,
    Zichtbaarheid,
)
from partners.models import Partner, PartnerKind, User
from partners.policy import Permission, has_permission, permissions_of

VIEW_CASUS = "casus.view_casus"
_VIEW_CASUS = ("casus", "view_casus")


@functools.cache
def permission_id(app_label: str, codename: str) -> int:
    """The id of a permission, looked up once per process. The policy filters the object
    permission rows on this id, not on a join to ``auth_permission`` by codename: with the join
    PostgreSQL cannot estimate how many rows a partner sees and picks plans that loop over every
    one of them (issue 17)."""
    return int(
        AuthPermission.objects.values_list("pk", flat=True).get(
            content_type__app_label=app_label, codename=codename
        )
    )


def _forget_permission_ids(**kwargs: Any) -> None:
    """Permission rows are (re)created after migrations and after a test database flush, with
    new ids: look them up again."""
    permission_id.cache_clear()


post_migrate.connect(_forget_permission_ids, dispatch_uid="casus.policy.permission_ids")


def _view_casus_id() -> int:
    return permission_id(*_VIEW_CASUS)


# --- Involvement → object permission (django-guardian, direct-FK table) ------------------------


def grant_involvement(*, casus: Casus, partner: Partner) -> None:
    assign_perm(VIEW_CASUS, partner.group, casus)


def revoke_involvement(*, casus: Casus, partner: Partner) -> None:
    remove_perm(VIEW_CASUS, partner.group, casus)


# --- Casus ---------------------------------------------------------------------------------------


def _involved_filter(partner_group_id: int) -> Exists:
    return Exists(
        CasusGroupObjectPermission.objects.filter(
            content_object=OuterRef("pk"),
            group_id=partner_group_id,
            permission_id=_view_casus_id(),
        )
    )


def visible_casussen(user: User) -> QuerySet[Casus]:
    """Casussen whose content the user may see: every one for a zorgcoördinator, otherwise
    those its partner is involved in. Nothing for roles that never see case content."""
    granted = permissions_of(user)
    if Permission.CASUS_READ_CONTENT not in granted:
        return Casus.objects.none()
    if Permission.CASUS_READ_ALL in granted:
        return Casus.objects.all()
    return Casus.objects.filter(_involved_filter(user.partner.group_id))


def partner_is_involved(*, partner: Partner, casus: Casus) -> bool:
    return CasusGroupObjectPermission.objects.filter(
        content_object=casus, group_id=partner.group_id, permission_id=_view_casus_id()
    ).exists()


def can_manage(user: User) -> bool:
    return has_permission(user, Permission.CASUS_MANAGE)


def can_contribute(user: User, casus: Casus) -> bool:
    """Only after the casus itself was found visible: involved partner or zorgcoördinator."""
    if not has_permission(user, Permission.CASUS_CONTRIBUTE):
        return False
    return has_permission(user, Permission.CASUS_READ_ALL) or partner_is_involved(
        partner=user.partner, casus=casus
    )


def can_request_agenda(user: User, casus: Casus) -> bool:
    if not has_permission(user, Permission.CASUS_REQUEST_AGENDA):
        return False
    return partner_is_involved(partner=user.partner, casus=casus) or has_permission(
        user, Permission.CASUS_READ_ALL
    )


# --- Bijdragen -----------------------------------------------------------------------------------


def _health_data_shared(prefix: str = "") -> Q:
    """A text of a gezondheid partner (GGD) reaches the whole chain only with the person's
    consent: with another legal basis its ``keten`` counts as ``regie`` ("GGD gaat niet met
    politie mee"). Enforced here, at read time, so a later change of the casus's legal basis
    (consent withdrawn) takes effect at once."""
    return ~Q(partner__kind=PartnerKind.GEZONDHEID) | Q(
        **{f"{prefix}grondslag": Grondslag.TOESTEMMING}
    )


def _text_visibility(user: User, granted: frozenset[Permission], casus_prefix: str) -> Q:
    """keten: everyone who sees the casus (health data only with consent); regie: own partner
    and zorgcoördinatoren; intern: own partner only. The caller restricts to visible casussen."""
    own = Q(partner_id=user.partner_id)
    keten = Q(zichtbaarheid=Zichtbaarheid.KETEN) & _health_data_shared(casus_prefix)
    visible = keten | own
    if Permission.CASUS_READ_ALL in granted:
        visible |= Q(zichtbaarheid__in=[Zichtbaarheid.KETEN, Zichtbaarheid.REGIE])
    return visible


def bijdrage_visibility_filter(user: User) -> Q:
    """keten: everyone who sees the casus (health data only with consent); regie: own partner
    and zorgcoördinatoren; intern: own partner only."""
    return _text_visibility(user, frozenset(permissions_of(user)), "casus__")


def visible_bijdragen(user: User, casus: Casus) -> QuerySet[Bijdrage]:
    return casus.bijdragen.filter(bijdrage_visibility_filter(user))


def default_visibility(partner: Partner) -> str:
    """Health and police information stays within the regie by default (PRODUCT.md §4.3)."""
    if partner.kind in {PartnerKind.GEZONDHEID, PartnerKind.POLITIE}:
        return Zichtbaarheid.REGIE
    return Zichtbaarheid.KETEN


def allowed_visibilities(user: User, casus: Casus) -> list[str]:
    """Health information falls under medical confidentiality: a health partner shares it with
    the whole chain only when the person consented (grondslag ``toestemming``)."""
    if user.partner.kind == PartnerKind.GEZONDHEID and casus.grondslag != Grondslag.TOESTEMMING:
        return [Zichtbaarheid.REGIE, Zichtbaarheid.INTERN]
    return [Zichtbaarheid.KETEN, Zichtbaarheid.REGIE, Zichtbaarheid.INTERN]


def can_change_bijdrage(user: User, bijdrage: Bijdrage) -> bool:
    return bijdrage.auteur_id == user.pk and has_permission(user, Permission.CASUS_CONTRIBUTE)


def can_change_signaal_visibility(user: User, signaal: Signaal) -> bool:
    """The author of a signal that is linked to a casus may widen or narrow who reads it there,
    like the author of a bijdrage."""
    return (
        signaal.casus_id is not None
        and signaal.auteur_id == user.pk
        and has_permission(user, Permission.CASUS_CONTRIBUTE)
    )


# --- Afspraken -----------------------------------------------------------------------------------


def visible_afspraken(user: User) -> QuerySet[Afspraak]:
    return Afspraak.objects.filter(casus__in=visible_casussen(user))


def can_create_afspraak(
    user: User, *, casus: Casus | None = None, overleg: Overleg | None = None
) -> bool:
    """The zorgcoördinator; in a meeting also its chair, for a casus on that meeting's agenda."""
    if has_permission(user, Permission.CASUS_MANAGE):
        return True
    return (
        overleg is not None
        and casus is not None
        and is_chair(user, overleg)
        and overleg.agendapunten.filter(casus=casus, verwijderd=False).exists()
    )


def can_update_afspraak(user: User, afspraak: Afspraak, *, overleg: Overleg | None = None) -> bool:
    """The zorgcoördinator; the owner partner's medewerkers; in a meeting its chair, for a
    casus on that meeting's agenda (outcomes of carried-over afspraken)."""
    if has_permission(user, Permission.CASUS_MANAGE):
        return True
    if overleg is not None and can_create_afspraak(user, casus=afspraak.casus, overleg=overleg):
        return True
    return (
        has_permission(user, Permission.AFSPRAAK_UPDATE_OWN)
        and afspraak.partner_id == user.partner_id
    )


# --- Ketenoverleg --------------------------------------------------------------------------------


def is_chair(user: User, overleg: Overleg) -> bool:
    """The meeting's voorzitter in that role: a user named chair without the role, or whose role
    changed since, reads and acts like anyone else."""
    return has_permission(user, Permission.OVERLEG_CHAIR) and user.pk == overleg.voorzitter_id


def visible_overleggen(user: User) -> QuerySet[Overleg]:
    """Meetings the user takes part in: its partner is invited, it chairs, or it is a
    zorgcoördinator. Roles without case content see none."""
    if not has_permission(user, Permission.CASUS_READ_CONTENT):
        return Overleg.objects.none()
    if has_permission(user, Permission.CASUS_READ_ALL):
        return Overleg.objects.all()
    return Overleg.objects.filter(
        Q(serie__partners=user.partner_id) | Q(voorzitter=user)
    ).distinct()


def can_generate_agenda(user: User, overleg: Overleg) -> bool:
    """The chair of the meeting, and whoever prepares agendas (the zorgcoördinator)."""
    return is_chair(user, overleg) or has_permission(user, Permission.AGENDA_PREPARE)


def can_add_to_agenda(user: User) -> bool:
    """A casus joins an agenda through the rules of PRODUCT.md §7, an involved partner's request
    (``can_request_agenda``), or the zorgcoördinator. Not the chair: putting a casus on its own
    agenda would open the agenda-level data of any casus to it."""
    return has_permission(user, Permission.AGENDA_PREPARE) and has_permission(
        user, Permission.CASUS_READ_ALL
    )


def agenda_level_casussen(user: User, overleg: Overleg, casus_ids: list[int]) -> set[int]:
    """Of the given casussen, those the user sees at agenda level on this meeting (reference,
    reasons, risk, partners, open afspraken): the casussen it may see, and for the meeting's
    chair also those on this meeting's agenda (not taken off it) — never a casus that is not
    on it, whatever the caller passes."""
    if is_chair(user, overleg):
        return {
            casus_id
            for casus_id in overleg.agendapunten.filter(
                verwijderd=False, casus_id__in=casus_ids
            ).values_list("casus_id", flat=True)
            if casus_id is not None
        }
    return set(visible_casussen(user).filter(pk__in=casus_ids).values_list("pk", flat=True))


def sees_besluit(user: User, overleg: Overleg, *, casus_item: bool, casus_visible: bool) -> bool:
    """A besluit on a casus is case content: for readers who may see the casus, and for the
    chair who wrote it. A besluit on a fixed section (opening, trends, rondvraag) is for all."""
    return not casus_item or casus_visible or is_chair(user, overleg)


# --- Signalen ------------------------------------------------------------------------------------


def visible_signalen(user: User) -> QuerySet[Signaal]:
    """The reporting partner always sees its own signals, whatever became of them (see
    ``signaal_state_visible`` for what it learns of that). Not yet linked (untriaged, or
    closed without follow-up): also the zorgcoördinatoren. Linked to a casus: for others like a
    bijdrage on that casus, so only for users who see the casus (a removed involvement ends it
    at once) and by its visibility level."""
    granted = frozenset(permissions_of(user))
    if Permission.CASUS_READ_CONTENT not in granted:
        return Signaal.objects.none()
    linked = Q(status=SignaalStatus.GEKOPPELD)
    visible = Q(partner_id=user.partner_id)
    if Permission.SIGNAAL_TRIAGE in granted:
        visible |= ~linked
    visible |= (
        linked & Q(casus__in=visible_casussen(user)) & _text_visibility(user, granted, "casus__")
    )
    return Signaal.objects.filter(visible)


def visible_signalen_of_casus(user: User, casus: Casus) -> QuerySet[Signaal]:
    """The signals of one casus the user may see, for a casus the caller obtained through
    ``visible_casussen(user)`` (the detail page, after ``casus_get_for``). The same rule as
    ``visible_signalen`` restricted to that casus, without rebuilding the set of every visible
    casus in a subquery (issue 17: 126 of the 165 ms of the detail page at 100,000 casussen)."""
    granted = frozenset(permissions_of(user))
    if Permission.CASUS_READ_CONTENT not in granted:
        return Signaal.objects.none()
    linked = Q(status=SignaalStatus.GEKOPPELD)
    visible = Q(partner_id=user.partner_id)
    if Permission.SIGNAAL_TRIAGE in granted:
        visible |= ~linked
    visible |= linked & _text_visibility(user, granted, "casus__")
    return Signaal.objects.filter(visible, casus_id=casus.pk)


# The state a reporter sees of its signal while it may not know what became of it.
SIGNAAL_IN_BEHANDELING = "in_behandeling"
SIGNAAL_IN_BEHANDELING_LABEL: Promise = _("In behandeling bij de zorgcoördinator")


def signaal_state_visible(user: User, signaal: Signaal, *, casus_visible: bool) -> bool:
    """Whether the user sees what became of the signal (new, linked, no follow-up) and its
    casus. The zorgcoördinator does; anyone else only once it is linked to a casus the user may
    see (its partner is involved). Otherwise the reporter sees one neutral state, "In
    behandeling bij de zorgcoördinator", so it learns neither that the person is known in a
    casus it is not in, nor how the coordinator judged it. ``casus_visible``: the signal's casus
    is among ``visible_casussen(user)`` (the caller asks once for a whole page)."""
    if has_permission(user, Permission.SIGNAAL_TRIAGE):
        return True
    return (
        signaal.status == SignaalStatus.GEKOPPELD and signaal.casus_id is not None and casus_visible
    )


def signaal_status_shown(
    user: User, signaal: Signaal, *, casus_visible: bool
) -> tuple[str, str | Promise]:
    """(code, label) of the state the user sees of the signal."""
    if signaal_state_visible(user, signaal, casus_visible=casus_visible):
        return signaal.status, signaal.get_status_display()
    return SIGNAAL_IN_BEHANDELING, SIGNAAL_IN_BEHANDELING_LABEL


def can_view_matches(user: User) -> bool:
    """Match hints are for zorgcoördinatoren only: nobody learns from the form that a person
    is known elsewhere."""
    return has_permission(user, Permission.MATCH_VIEW)


def can_triage(user: User) -> bool:
    return has_permission(user, Permission.SIGNAAL_TRIAGE)


def can_submit_signaal(user: User) -> bool:
    return has_permission(user, Permission.SIGNAAL_SUBMIT)


def can_plan_meetings(user: User) -> bool:
    """The voorzitter and the zorgcoördinator plan overleg series and meetings (PRODUCT.md §7)."""
    return has_permission(user, Permission.OVERLEG_CHAIR) or has_permission(
        user, Permission.AGENDA_PREPARE
    )


def can_plan_in(user: User, serie: OverlegSerie) -> bool:
    """A meeting of a series is planned by its chair or by the zorgcoördinator."""
    return has_permission(user, Permission.AGENDA_PREPARE) or (
        has_permission(user, Permission.OVERLEG_CHAIR) and serie.voorzitter_id == user.pk
    )


def can_cancel_meeting(user: User, overleg: Overleg) -> bool:
    """The meeting's chair or the zorgcoördinator, while it has not been held."""
    return overleg.status in (
        OverlegStatus.GEPLAND,
        OverlegStatus.AGENDA_CONCEPT,
        OverlegStatus.AGENDA_DEFINITIEF,
    ) and (is_chair(user, overleg) or has_permission(user, Permission.AGENDA_PREPARE))
