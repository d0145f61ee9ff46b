"""Writes for casussen, involvement, bijdragen, afspraken and agenda requests.

Every service takes the acting user, checks the policy, runs in one transaction with its audit
event, locks the casus row before changing it, and raises ValidationError with Dutch messages
keyed by field name (the forms and the API show them next to the field).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import event_record
from casus import policy
from casus.models import (
    ALLOWED_TRANSITIONS,
    CHOSEN_OUTCOMES,
    RISICO_RANK,
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Afspraak,
    Agendering,
    Betrokkenheid,
    Bijdrage,
    Casus,
    Categorie,
    Gemeente,
    Grondslag,
    Overleg,
    ReferentieTeller,
    Risico,
    RisicoWijziging,
    Sector,
    Status,
    StatusWijziging,
    Uitkomst,
    Zichtbaarheid,
)
from casus.signalen import guard
from partners.models import Partner, User


class ConflictError(Exception):
    """The object changed since the user loaded it (optimistic concurrency)."""

    def __init__(self, current: Afspraak) -> None:
        super().__init__("conflict")
        self.current = current


# --- validation helpers -------------------------------------------------------------------------


# Control characters (other than line breaks and tabs) and bidirectional overrides and isolates:
# they can hide or reorder what a reader sees on the page, in the PDF or in an export.
_HIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _text(
    value: str, field: str, *, max_length: int = TEXT_MAX_LENGTH, required: bool = True
) -> str:
    """Trimmed, required unless said otherwise, within its length, and free of direct
    identifiers (BSN, phone, e-mail, IBAN, address, date of birth, licence plate)."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Dit veld is verplicht.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("Maximaal %(max)d tekens; u gebruikte er %(count)d.")
                % {"max": max_length, "count": len(value)}
            }
        )
    if _HIDDEN_CHARACTERS.search(value):
        raise ValidationError(
            {
                field: _(
                    "Deze tekst bevat onzichtbare stuur- of richtingstekens (bijvoorbeeld "
                    "meegekomen bij het kopiëren). Verwijder die en probeer het opnieuw."
                )
            }
        )
    guard.check_free_text(value, field=field)
    return value


def check_text(
    value: str, field: str, *, max_length: int = TEXT_MAX_LENGTH, required: bool = True
) -> str:
    """Free text as the services accept it (see _text), for the other write modules."""
    return _text(value, field, max_length=max_length, required=required)


def _choice(value: str, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("Kies een geldige waarde.")})
    return value


def _grondslag(grondslag: str, toelichting: str, *, field: str = "grondslag") -> tuple[str, str]:
    _choice(grondslag, Grondslag, field)
    toelichting = _text(
        toelichting, f"{field}_toelichting", max_length=SHORT_TEXT_MAX_LENGTH, required=False
    )
    if grondslag == Grondslag.OVERIG and not toelichting:
        raise ValidationError(
            {f"{field}_toelichting": _("Licht de grondslag toe als u 'Overig' kiest.")}
        )
    return grondslag, toelichting


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _lock(casus: Casus) -> Casus:
    return Casus.objects.select_for_update().get(pk=casus.pk)


def _audit(
    action: AuditAction,
    actor: User,
    casus: Casus,
    *,
    object_type: str = "casus",
    ref: str = "",
    purpose: str = "",
) -> None:
    """The purpose is the legal basis of what was done: the casus's, unless the action has its
    own (a partner's involvement carries the basis given for that partner)."""
    event_record(
        action=action,
        actor=actor,
        purpose=purpose or casus.grondslag,
        object_type=object_type,
        object_ref=ref or casus.referentie,
    )


def _next_referentie(now: datetime.datetime) -> str:
    year = timezone.localtime(now).year
    ReferentieTeller.objects.get_or_create(jaar=year)
    teller = ReferentieTeller.objects.select_for_update().get(jaar=year)
    teller.laatste += 1
    teller.save(update_fields=["laatste"])
    return f"K-{year}-{teller.laatste:04d}"


# --- casus ---------------------------------------------------------------------------------------


def _involve(
    *,
    actor: User,
    casus: Casus,
    partner: Partner,
    reden: str,
    grondslag: str,
    op: datetime.datetime | None = None,
) -> Betrokkenheid:
    if not partner.is_active:
        raise ValidationError({"partners": _("Deze partner is niet actief.")})
    betrokkenheid = Betrokkenheid.objects.create(
        casus=casus,
        partner=partner,
        reden=reden,
        grondslag=grondslag,
        toegevoegd_door=actor,
        toegevoegd_op=op or timezone.now(),
    )
    policy.grant_involvement(casus=casus, partner=partner)
    _audit(
        AuditAction.INVOLVEMENT_ADDED,
        actor,
        casus,
        object_type="partner",
        ref=f"{casus.referentie}:P{partner.pk}",
        purpose=grondslag,
    )
    return betrokkenheid


@transaction.atomic
def casus_open(
    *,
    actor: User,
    risico: str,
    grondslag: str,
    partners: Iterable[Partner],
    reden: str,
    grondslag_toelichting: str = "",
    sector: str = Sector.ONBEKEND,
    gemeente: str = Gemeente.ONBEKEND,
    veilig_om_te_bellen: bool = False,
    tolk_nodig: bool = False,
    referentie: str | None = None,
    geopend_op: datetime.datetime | None = None,
) -> Casus:
    """Open a casus and involve partners (each involvement grants that partner access)."""
    _require(policy.can_manage(actor))
    _choice(risico, Risico, "risico")
    grondslag, grondslag_toelichting = _grondslag(grondslag, grondslag_toelichting)
    _choice(sector, Sector, "sector")
    _choice(gemeente, Gemeente, "gemeente")
    reden = _text(reden, "reden", max_length=SHORT_TEXT_MAX_LENGTH)
    partner_list = list(dict.fromkeys(partners))
    if not partner_list:
        raise ValidationError({"partners": _("Kies ten minste één betrokken partner.")})
    now = geopend_op or timezone.now()
    casus = Casus.objects.create(
        referentie=referentie or _next_referentie(now),
        risico=risico,
        grondslag=grondslag,
        grondslag_toelichting=grondslag_toelichting,
        sector=sector,
        gemeente=gemeente,
        coordinator=actor,
        veilig_om_te_bellen=veilig_om_te_bellen,
        tolk_nodig=tolk_nodig,
        geopend_op=now,
        risico_gewijzigd_op=now,
    )
    StatusWijziging.objects.create(casus=casus, van="", naar=Status.NIEUW, door=actor, op=now)
    _audit(AuditAction.CASUS_OPENED, actor, casus)
    for partner in partner_list:
        _involve(
            actor=actor, casus=casus, partner=partner, reden=reden, grondslag=grondslag, op=now
        )
    return casus


@transaction.atomic
def casus_update(
    *,
    actor: User,
    casus: Casus,
    risico: str,
    sector: str,
    gemeente: str,
    veilig_om_te_bellen: bool,
    tolk_nodig: bool,
) -> Casus:
    _require(policy.can_manage(actor))
    casus = _lock(casus)
    _choice(risico, Risico, "risico")
    _choice(sector, Sector, "sector")
    _choice(gemeente, Gemeente, "gemeente")
    fields = ["risico", "sector", "gemeente", "veilig_om_te_bellen", "tolk_nodig", "gewijzigd_op"]
    if RISICO_RANK[Risico(risico)] != RISICO_RANK[Risico(casus.risico)]:
        casus.risico_gewijzigd_op = timezone.now()
        fields.append("risico_gewijzigd_op")
    casus.risico = risico
    casus.sector = sector
    casus.gemeente = gemeente
    casus.veilig_om_te_bellen = veilig_om_te_bellen
    casus.tolk_nodig = tolk_nodig
    casus.save(update_fields=fields)
    _audit(AuditAction.CASUS_UPDATED, actor, casus)
    return casus


@transaction.atomic
def casus_change_status(
    *,
    actor: User,
    casus: Casus,
    status: str,
    toelichting: str = "",
    uitkomst: str = "",
    op: datetime.datetime | None = None,
    _outcome_by_action: str = "",
) -> Casus:
    """``op`` (default now) lets imports and the demo record a change at its real moment.

    Closing needs an outcome from the closed list (trends count it); reopening clears it and a
    pending closing proposal. All input errors are reported together."""
    _require(policy.can_manage(actor))
    casus = _lock(casus)
    errors: dict[str, list[str]] = {}
    if status not in Status.values:
        errors["status"] = [_("Kies een geldige waarde.")]
    elif status not in ALLOWED_TRANSITIONS[Status(casus.status)]:
        errors["status"] = [
            _("Van '%(van)s' kan een casus niet naar '%(naar)s'.")
            % {"van": Status(casus.status).label, "naar": Status(status).label}
        ]
    if status == Status.AFGESLOTEN and not _outcome_by_action:
        if not uitkomst:
            errors["uitkomst"] = [_("Kies hoe de casus is geëindigd.")]
        elif uitkomst not in CHOSEN_OUTCOMES:
            errors["uitkomst"] = [_("Kies een geldige waarde.")]
    try:
        toelichting = _text(
            toelichting, "toelichting", max_length=SHORT_TEXT_MAX_LENGTH, required=False
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    now = op or timezone.now()
    StatusWijziging.objects.create(
        casus=casus, van=casus.status, naar=status, door=actor, op=now, toelichting=toelichting
    )
    casus.status = status
    fields = ["status", "afgesloten_op", "uitkomst", "gewijzigd_op"]
    if status == Status.AFGESLOTEN:
        casus.afgesloten_op = now
        casus.uitkomst = _outcome_by_action or uitkomst
    else:
        casus.afgesloten_op = None
        casus.uitkomst = ""
        casus.afsluiten_voorgesteld_op = None
        fields.append("afsluiten_voorgesteld_op")
    casus.save(update_fields=fields)
    _audit(AuditAction.CASUS_STATUS_CHANGED, actor, casus)
    return casus


@transaction.atomic
def casus_change_risk(
    *,
    actor: User,
    casus: Casus,
    risico: str,
    reden: str,
    op: datetime.datetime | None = None,
) -> Casus:
    """The coordinator changes the risk level, always with a reason: the history shows it and
    a raise since the last discussion puts the casus on the agenda (``risico_verhoogd``)."""
    _require(policy.can_manage(actor))
    casus = _lock(casus)
    errors: dict[str, list[str]] = {}
    if risico not in Risico.values:
        errors["risico"] = [_("Kies een geldige waarde.")]
    elif risico == casus.risico:
        errors["risico"] = [_("Dit is al het huidige risiconiveau.")]
    if casus.status == Status.AFGESLOTEN:
        errors["risico"] = [_("Het risico van een afgesloten casus wijzigt niet.")]
    try:
        reden = _text(reden, "reden", max_length=SHORT_TEXT_MAX_LENGTH)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    now = op or timezone.now()
    RisicoWijziging.objects.create(
        casus=casus, van=casus.risico, naar=risico, reden=reden, door=actor, op=now
    )
    casus.risico = risico
    casus.risico_gewijzigd_op = now
    casus.save(update_fields=["risico", "risico_gewijzigd_op", "gewijzigd_op"])
    _audit(AuditAction.CASUS_UPDATED, actor, casus)
    return casus


@transaction.atomic
def casus_update_facts(
    *,
    actor: User,
    casus: Casus,
    sector: str,
    gemeente: str,
    veilig_om_te_bellen: bool,
    tolk_nodig: bool,
) -> Casus:
    """The coordinator corrects the casus's facts; the risk has its own action (with reason)."""
    _require(policy.can_manage(actor))
    errors: dict[str, list[str]] = {}
    if sector not in Sector.values:
        errors["sector"] = [_("Kies een geldige waarde.")]
    if gemeente not in Gemeente.values:
        errors["gemeente"] = [_("Kies een geldige waarde.")]
    if errors:
        raise ValidationError(errors)
    casus = _lock(casus)
    return casus_update(
        actor=actor,
        casus=casus,
        risico=casus.risico,
        sector=sector,
        gemeente=gemeente,
        veilig_om_te_bellen=veilig_om_te_bellen,
        tolk_nodig=tolk_nodig,
    )


@transaction.atomic
def casus_propose_closing(*, actor: User, casus: Casus, intrekken: bool = False) -> Casus:
    """The coordinator proposes closing the casus (it goes on the next agenda for that:
    ``voorstel_afsluiten``), or withdraws the proposal."""
    _require(policy.can_manage(actor))
    casus = _lock(casus)
    if casus.status == Status.AFGESLOTEN:
        raise ValidationError({"status": [_("De casus is al afgesloten.")]})
    if intrekken:
        if casus.afsluiten_voorgesteld_op is None:
            raise ValidationError({"__all__": [_("Er is geen voorstel om af te sluiten.")]})
        casus.afsluiten_voorgesteld_op = None
    else:
        if casus.afsluiten_voorgesteld_op is not None:
            raise ValidationError({"__all__": [_("Afsluiten is al voorgesteld.")]})
        casus.afsluiten_voorgesteld_op = timezone.now()
    casus.save(update_fields=["afsluiten_voorgesteld_op", "gewijzigd_op"])
    _audit(AuditAction.CASUS_UPDATED, actor, casus)
    return casus


@transaction.atomic
def betrokkenheid_add(
    *,
    actor: User,
    casus: Casus,
    partner: Partner,
    reden: str,
    grondslag: str,
    grondslag_toelichting: str = "",
) -> Betrokkenheid:
    _require(policy.can_manage(actor))
    casus = _lock(casus)
    grondslag, _toelichting = _grondslag(grondslag, grondslag_toelichting)
    reden = _text(reden, "reden", max_length=SHORT_TEXT_MAX_LENGTH)
    if casus.betrokkenheden.filter(partner=partner, beeindigd_op__isnull=True).exists():
        raise ValidationError({"partner": _("Deze partner is al betrokken bij de casus.")})
    return _involve(actor=actor, casus=casus, partner=partner, reden=reden, grondslag=grondslag)


@transaction.atomic
def betrokkenheid_remove(*, actor: User, casus: Casus, partner: Partner) -> None:
    """Ends the involvement and revokes the partner's access, effective on its next request."""
    _require(policy.can_manage(actor))
    casus = _lock(casus)
    betrokkenheid = casus.betrokkenheden.filter(partner=partner, beeindigd_op__isnull=True).first()
    if betrokkenheid is None:
        raise ValidationError({"partner": _("Deze partner is niet betrokken bij de casus.")})
    betrokkenheid.beeindigd_op = timezone.now()
    betrokkenheid.beeindigd_door = actor
    betrokkenheid.save(update_fields=["beeindigd_op", "beeindigd_door"])
    policy.revoke_involvement(casus=casus, partner=partner)
    _audit(
        AuditAction.INVOLVEMENT_REMOVED,
        actor,
        casus,
        object_type="partner",
        ref=f"{casus.referentie}:P{partner.pk}",
        purpose=betrokkenheid.grondslag,
    )


@transaction.atomic
def agendering_request(*, actor: User, casus: Casus, reden: str) -> Agendering:
    _require(policy.can_request_agenda(actor, casus))
    casus = _lock(casus)
    reden = _text(reden, "reden", max_length=SHORT_TEXT_MAX_LENGTH)
    agendering = Agendering.objects.create(
        casus=casus, partner=actor.partner, aangevraagd_door=actor, reden=reden
    )
    _audit(AuditAction.AGENDA_REQUESTED, actor, casus)
    return agendering


# --- bijdragen -----------------------------------------------------------------------------------


def visibility_check(actor: User, casus: Casus, zichtbaarheid: str) -> str:
    """The visibility level, if this author may give it to a text in this casus."""
    _choice(zichtbaarheid, Zichtbaarheid, "zichtbaarheid")
    if zichtbaarheid not in policy.allowed_visibilities(actor, casus):
        raise ValidationError(
            {
                "zichtbaarheid": _(
                    "Gezondheidsinformatie deelt u alleen met de hele keten als de persoon toestemming gaf. "
                    "Kies 'Regie' of 'Intern'."
                )
            }
        )
    return zichtbaarheid


@transaction.atomic
def bijdrage_create(
    *,
    actor: User,
    casus: Casus,
    categorie: str,
    zichtbaarheid: str,
    tekst: str,
    aangemaakt_op: datetime.datetime | None = None,
) -> Bijdrage:
    _require(policy.can_contribute(actor, casus))
    casus = _lock(casus)
    _choice(categorie, Categorie, "categorie")
    zichtbaarheid = visibility_check(actor, casus, zichtbaarheid)
    tekst = _text(tekst, "tekst")
    bijdrage = Bijdrage.objects.create(
        casus=casus,
        auteur=actor,
        partner=actor.partner,
        rol=actor.role,
        categorie=categorie,
        zichtbaarheid=zichtbaarheid,
        tekst=tekst,
        aangemaakt_op=aangemaakt_op or timezone.now(),
    )
    _audit(
        AuditAction.BIJDRAGE_CREATED,
        actor,
        casus,
        object_type="bijdrage",
        ref=f"{casus.referentie}:B{bijdrage.pk}",
    )
    return bijdrage


@transaction.atomic
def bijdrage_change_visibility(*, actor: User, bijdrage: Bijdrage, zichtbaarheid: str) -> Bijdrage:
    _require(policy.can_change_bijdrage(actor, bijdrage))
    casus = _lock(bijdrage.casus)
    bijdrage = Bijdrage.objects.select_for_update().get(pk=bijdrage.pk)
    bijdrage.zichtbaarheid = visibility_check(actor, casus, zichtbaarheid)
    bijdrage.save(update_fields=["zichtbaarheid", "gewijzigd_op"])
    _audit(
        AuditAction.BIJDRAGE_VISIBILITY_CHANGED,
        actor,
        casus,
        object_type="bijdrage",
        ref=f"{casus.referentie}:B{bijdrage.pk}",
    )
    return bijdrage


# --- afspraken -----------------------------------------------------------------------------------


@transaction.atomic
def afspraak_create(
    *,
    actor: User,
    casus: Casus,
    omschrijving: str,
    partner: Partner | None,
    deadline: datetime.date | None,
    aangemaakt_op: datetime.datetime | None = None,
    via_overleg: Overleg | None = None,
) -> Afspraak:
    """``aangemaakt_op`` (default now) lets imports and the demo record an earlier agreement;
    the deadline may not lie before that moment. ``via_overleg``: made in that meeting by its
    chair, for a casus on its agenda."""
    _require(policy.can_create_afspraak(actor, casus=casus, overleg=via_overleg))
    casus = _lock(casus)
    omschrijving = _text(omschrijving, "omschrijving", max_length=SHORT_TEXT_MAX_LENGTH)
    if (
        partner is None
        or not casus.betrokkenheden.filter(partner=partner, beeindigd_op__isnull=True).exists()
    ):
        raise ValidationError({"partner": _("Kies een partner die bij deze casus betrokken is.")})
    if deadline is None:
        raise ValidationError({"deadline": _("Dit veld is verplicht.")})
    moment = aangemaakt_op or timezone.now()
    if deadline < timezone.localdate(moment):
        raise ValidationError({"deadline": _("De uiterste datum ligt in het verleden.")})
    afspraak = Afspraak.objects.create(
        casus=casus,
        omschrijving=omschrijving,
        partner=partner,
        deadline=deadline,
        aangemaakt_door=actor,
        aangemaakt_op=moment,
        overleg=via_overleg,
    )
    _audit(
        AuditAction.AFSPRAAK_CREATED,
        actor,
        casus,
        object_type="afspraak",
        ref=f"{casus.referentie}:A{afspraak.pk}",
    )
    return afspraak


@transaction.atomic
def afspraak_update(
    *,
    actor: User,
    afspraak: Afspraak,
    versie: int,
    uitkomst: str,
    uitkomst_toelichting: str = "",
    deadline: datetime.date | None = None,
    via_overleg: Overleg | None = None,
) -> Afspraak:
    """Record progress or an outcome. ``versie`` is the version the user saw: if someone else
    saved in between, ConflictError carries the current state instead of overwriting it.
    ``via_overleg``: set in that meeting by its chair (a carried-over afspraak)."""
    _require(policy.can_update_afspraak(actor, afspraak, overleg=via_overleg))
    casus = _lock(afspraak.casus)
    current = Afspraak.objects.select_for_update().get(pk=afspraak.pk)
    if current.versie != versie:
        raise ConflictError(current)
    _choice(uitkomst, Uitkomst, "uitkomst")
    toelichting = _text(
        uitkomst_toelichting,
        "uitkomst_toelichting",
        max_length=SHORT_TEXT_MAX_LENGTH,
        required=False,
    )
    if uitkomst in {Uitkomst.NIET_MOGELIJK, Uitkomst.NIET_UITGEVOERD} and not toelichting:
        raise ValidationError(
            {"uitkomst_toelichting": _("Licht toe waarom de afspraak niet is uitgevoerd.")}
        )
    fields = ["uitkomst", "uitkomst_toelichting", "versie", "gewijzigd_op"]
    if deadline is not None and deadline != current.deadline:
        if deadline < timezone.localdate():
            raise ValidationError({"deadline": _("De uiterste datum ligt in het verleden.")})
        current.deadline = deadline
        fields.append("deadline")
    if uitkomst != current.uitkomst:
        # The meeting in which an outcome is recorded lists it in its minutes.
        current.uitkomst_overleg = via_overleg if uitkomst != Uitkomst.OPEN else None
        current.uitkomst_op = timezone.now() if uitkomst != Uitkomst.OPEN else None
        fields += ["uitkomst_overleg", "uitkomst_op"]
    current.uitkomst = uitkomst
    current.uitkomst_toelichting = toelichting
    current.versie += 1
    current.save(update_fields=fields)
    _audit(
        AuditAction.AFSPRAAK_UPDATED,
        actor,
        casus,
        object_type="afspraak",
        ref=f"{casus.referentie}:A{current.pk}",
    )
    return current
