"""Services for the ketenoverleg: planning, the chair's agenda edits, the meeting itself
(besluiten, afspraken, outcomes, discussed) and the minutes. Each is audited in its transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import event_record
from casus import policy
from casus.casussen import services
from casus.models import (
    OVERLEG_TRANSITIONS,
    TEXT_MAX_LENGTH,
    Aanwezigheid,
    Afspraak,
    Agendapunt,
    AgendapuntSoort,
    Agendering,
    Casus,
    GeneratieStatus,
    Overleg,
    OverlegSerie,
    OverlegStatus,
    Status,
)
from casus.overleg import agenda
from config.kernel import outbox
from partners.models import Partner, User
from partners.policy import Permission, has_permission


def overleg_ref(overleg: Overleg) -> str:
    return f"O{overleg.pk}"


def _audit(action: AuditAction, actor: User, overleg: Overleg, *, ref: str = "") -> None:
    event_record(
        action=action, actor=actor, object_type="overleg", object_ref=ref or overleg_ref(overleg)
    )


def _require_chair(user: User, overleg: Overleg) -> None:
    if not policy.is_chair(user, overleg):
        raise PermissionDenied


def _lock(overleg: Overleg) -> Overleg:
    return Overleg.objects.select_for_update().get(pk=overleg.pk)


def _move(overleg: Overleg, status: str) -> None:
    if status not in OVERLEG_TRANSITIONS[OverlegStatus(overleg.status)]:
        raise ValidationError(
            {
                "status": _("Van '%(van)s' kan een overleg niet naar '%(naar)s'.")
                % {"van": OverlegStatus(overleg.status).label, "naar": OverlegStatus(status).label}
            }
        )
    overleg.status = status


def _errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in exc.message_dict.items()}


@transaction.atomic
def serie_create(
    *,
    actor: User,
    naam: str,
    voorzitter: User | None,
    partners: list[Partner],
    interval_weken: int | None = 4,
    plaats: str = "",
    agenda_werkdagen: int | None = 5,
) -> OverlegSerie:
    """The voorzitter or the zorgcoördinator creates an overleg series. All input errors are
    reported together."""
    if not policy.can_plan_meetings(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        naam = services.check_text(naam, "naam", max_length=120)
        if OverlegSerie.objects.filter(naam__iexact=naam).exists():
            errors["naam"] = [_("Er is al een overlegreeks met deze naam.")]
    except ValidationError as exc:
        errors.update(_errors_of(exc))
    try:
        plaats = services.check_text(plaats, "plaats", max_length=120, required=False)
    except ValidationError as exc:
        errors.update(_errors_of(exc))
    if voorzitter is None or not has_permission(voorzitter, Permission.OVERLEG_CHAIR):
        errors["voorzitter"] = [_("Kies een gebruiker met de functie voorzitter.")]
    if interval_weken is None or not 1 <= interval_weken <= 26:
        errors["interval_weken"] = [_("Kies een aantal weken van 1 tot en met 26.")]
    if agenda_werkdagen is None or not 0 <= agenda_werkdagen <= 20:
        errors["agenda_werkdagen"] = [_("Kies een aantal werkdagen van 0 tot en met 20.")]
    if not partners:
        errors["partners"] = [_("Kies ten minste één partner die wordt uitgenodigd.")]
    if errors:
        raise ValidationError(errors)
    assert voorzitter is not None and interval_weken is not None  # noqa: S101  # nosec B101
    assert agenda_werkdagen is not None  # noqa: S101  # nosec B101
    serie = OverlegSerie.objects.create(
        naam=naam,
        voorzitter=voorzitter,
        interval_weken=interval_weken,
        plaats=plaats,
        agenda_werkdagen=agenda_werkdagen,
    )
    serie.partners.set(partners)
    event_record(
        action=AuditAction.OVERLEG_PLANNED,
        actor=actor,
        object_type="overleg",
        object_ref=f"S{serie.pk}",
    )
    return serie


def next_meeting_date(serie: OverlegSerie) -> datetime.datetime | None:
    """The last meeting of the series (not cancelled) plus its cadence: the date the planning
    form proposes. None for a series without meetings."""
    last = (
        serie.overleggen.exclude(status=OverlegStatus.GEANNULEERD)
        .order_by("-datum")
        .values_list("datum", flat=True)
        .first()
    )
    return last + datetime.timedelta(weeks=serie.interval_weken) if last else None


@transaction.atomic
def overleg_plan(
    *,
    actor: User,
    serie: OverlegSerie | None,
    datum: datetime.datetime | None,
    plaats: str = "",
) -> Overleg:
    """Plan a meeting of a series: its chair or the zorgcoördinator. The place defaults to the
    series' own."""
    if not policy.can_plan_meetings(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if serie is None:
        errors["serie"] = [_("Kies een overlegreeks.")]
    elif not policy.can_plan_in(actor, serie):
        errors["serie"] = [_("U kunt in deze overlegreeks geen overleg plannen.")]
    elif not serie.actief:
        errors["serie"] = [_("In deze overlegreeks worden geen overleggen meer gepland.")]
    if datum is None:
        errors["datum"] = [_("Dit veld is verplicht.")]
    try:
        plaats = services.check_text(
            plaats or (serie.plaats if serie else ""), "plaats", max_length=120
        )
    except ValidationError as exc:
        errors.update(_errors_of(exc))
    if errors:
        raise ValidationError(errors)
    assert serie is not None and datum is not None  # noqa: S101  # nosec B101
    overleg = Overleg.objects.create(
        serie=serie, datum=datum, plaats=plaats, voorzitter=serie.voorzitter
    )
    Aanwezigheid.objects.bulk_create(
        [Aanwezigheid(overleg=overleg, partner=p) for p in serie.partners.all()]
    )
    _audit(AuditAction.OVERLEG_PLANNED, actor, overleg)
    return overleg


@transaction.atomic
def overleg_cancel(*, actor: User, overleg: Overleg, reden: str) -> Overleg:
    """Cancel a meeting that has not been held, with a reason. A cancelled meeting is no
    'previous meeting' for the next agenda and gets no generated agenda."""
    overleg = _lock(overleg)
    if not policy.can_cancel_meeting(actor, overleg):
        if policy.is_chair(actor, overleg) or has_permission(actor, Permission.AGENDA_PREPARE):
            raise ValidationError(
                {
                    "__all__": [
                        _("Een gehouden of al geannuleerd overleg kan niet worden geannuleerd.")
                    ]
                }
            )
        raise PermissionDenied
    reden = services.check_text(reden, "reden", max_length=500)
    _move(overleg, OverlegStatus.GEANNULEERD)
    overleg.geannuleerd_op = timezone.now()
    overleg.annuleringsreden = reden
    overleg.save(update_fields=["status", "geannuleerd_op", "annuleringsreden"])
    _audit(AuditAction.OVERLEG_CANCELLED, actor, overleg)
    return overleg


@transaction.atomic
def agenda_generation_request(*, actor: User, overleg: Overleg) -> Overleg:
    """The chair (or the zorgcoördinator) asks for the agenda now. The job is queued once the
    request is committed; the page shows its progress."""
    if not policy.can_generate_agenda(actor, overleg):
        raise PermissionDenied
    overleg = _lock(overleg)
    if overleg.status not in (OverlegStatus.GEPLAND, OverlegStatus.AGENDA_CONCEPT):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Alleen voor een gepland overleg of een concept-agenda kan de agenda "
                        "worden gegenereerd."
                    )
                ]
            }
        )
    overleg.generatie_status = GeneratieStatus.WACHT
    overleg.generatie_gestart_op = timezone.now()
    overleg.save(update_fields=["generatie_status", "generatie_gestart_op"])
    _audit(AuditAction.AGENDA_GENERATION_REQUESTED, actor, overleg)
    # The job is written in this transaction (the outbox): it exists exactly when the request
    # does, and is handed to the worker after the commit, or later if Redis is down. A second
    # click while it waits reuses the same job.
    outbox.enqueue("casus.generate_agenda", overleg.pk, key=f"agenda:{overleg.pk}")
    return overleg


def agenda_generation_progress(*, overleg_id: int, status: GeneratieStatus) -> None:
    """The background job's progress on the meeting. No actor and no audit event of its own:
    the request and the generated agenda are audited."""
    if status == GeneratieStatus.BEZIG:
        Overleg.objects.filter(pk=overleg_id).update(
            generatie_status=status, generatie_gestart_op=timezone.now()
        )
    else:
        Overleg.objects.filter(pk=overleg_id).update(generatie_status=status)


def _editable_agenda(actor: User, overleg: Overleg) -> Overleg:
    _require_chair(actor, overleg)
    overleg = _lock(overleg)
    if overleg.status != OverlegStatus.AGENDA_CONCEPT:
        raise ValidationError({"__all__": [_("Alleen een concept-agenda kan worden aangepast.")]})
    return overleg


@transaction.atomic
def agendapunt_remove(*, actor: User, agendapunt: Agendapunt) -> None:
    """The chair takes an item off; regeneration keeps it off."""
    overleg = _editable_agenda(actor, agendapunt.overleg)
    if agendapunt.soort != AgendapuntSoort.CASUS:
        raise ValidationError({"__all__": [_("Vaste onderdelen van de agenda blijven staan.")]})
    Agendapunt.objects.filter(pk=agendapunt.pk).update(verwijderd=True)
    _audit(AuditAction.AGENDA_CHANGED, actor, overleg)


@transaction.atomic
def agendapunt_add(*, actor: User, overleg: Overleg, casus: Casus) -> Agendapunt:
    """The zorgcoördinator puts a casus on a concept agenda by hand (PRODUCT.md §7: besides the
    rules and an involved partner's request, only the coordinator adds). Not the chair, who
    would otherwise open the agenda-level data of any casus to itself; regeneration keeps it."""
    if not policy.can_add_to_agenda(actor):
        raise PermissionDenied
    overleg = _lock(overleg)
    if overleg.status != OverlegStatus.AGENDA_CONCEPT:
        raise ValidationError({"__all__": [_("Alleen een concept-agenda kan worden aangepast.")]})
    if casus.status == Status.AFGESLOTEN:
        raise ValidationError({"casus": [_("Een afgesloten casus komt niet op de agenda.")]})
    item, created = Agendapunt.objects.get_or_create(
        overleg=overleg,
        casus=casus,
        defaults={
            "soort": AgendapuntSoort.CASUS,
            "handmatig_toegevoegd": True,
            "risico_bij_agendering": casus.risico,
        },
    )
    if not created and not item.verwijderd:
        raise ValidationError({"referentie": [_("Deze casus staat al op de agenda.")]})
    item.verwijderd = False
    item.handmatig_toegevoegd = True
    item.volgorde = (overleg.agendapunten.aggregate(m=Max("volgorde"))["m"] or 0) + 1
    item.save(update_fields=["verwijderd", "handmatig_toegevoegd", "volgorde"])
    overleg.agendapunten.filter(soort=AgendapuntSoort.CASUS).update(volgorde_handmatig=True)
    agenda._number(overleg)
    _audit(AuditAction.AGENDA_CHANGED, actor, overleg)
    return item


@transaction.atomic
def agendapunt_move(*, actor: User, agendapunt: Agendapunt, richting: str) -> None:
    """Move a casus item one place up or down among the casus items."""
    overleg = _editable_agenda(actor, agendapunt.overleg)
    items = list(
        overleg.agendapunten.filter(soort=AgendapuntSoort.CASUS, verwijderd=False).order_by(
            "volgorde", "id"
        )
    )
    index = next((i for i, item in enumerate(items) if item.pk == agendapunt.pk), None)
    if index is None:
        raise ValidationError({"__all__": [_("Dit agendapunt kan niet worden verplaatst.")]})
    if richting not in ("omhoog", "omlaag"):
        raise ValidationError({"__all__": [_("Kies omhoog of omlaag.")]})
    other = index - 1 if richting == "omhoog" else index + 1
    if not 0 <= other < len(items):
        raise ValidationError(
            {
                "__all__": [
                    _("Dit agendapunt staat al bovenaan.")
                    if richting == "omhoog"
                    else _("Dit agendapunt staat al onderaan.")
                ]
            }
        )
    items[index].volgorde, items[other].volgorde = items[other].volgorde, items[index].volgorde
    for item in items:
        item.volgorde_handmatig = True
    Agendapunt.objects.bulk_update(items, ["volgorde", "volgorde_handmatig"])
    agenda._number(overleg)
    _audit(AuditAction.AGENDA_CHANGED, actor, overleg)


@transaction.atomic
def agenda_finalise(*, actor: User, overleg: Overleg) -> Overleg:
    """The chair fixes the agenda: from now on it is frozen."""
    _require_chair(actor, overleg)
    overleg = _lock(overleg)
    _move(overleg, OverlegStatus.AGENDA_DEFINITIEF)
    overleg.agenda_vastgesteld_op = timezone.now()
    overleg.save(update_fields=["status", "agenda_vastgesteld_op"])
    _audit(AuditAction.AGENDA_FINALISED, actor, overleg)
    return overleg


def _meeting_item(actor: User, agendapunt: Agendapunt) -> Overleg:
    _require_chair(actor, agendapunt.overleg)
    overleg = _lock(agendapunt.overleg)
    if overleg.status not in (OverlegStatus.AGENDA_DEFINITIEF, OverlegStatus.GEHOUDEN):
        raise ValidationError({"__all__": [_("Stel eerst de agenda vast.")]})
    return overleg


@transaction.atomic
def agendapunt_record(
    *,
    actor: User,
    agendapunt: Agendapunt,
    besluit: str,
    besproken: bool = True,
    op: datetime.datetime | None = None,
) -> Agendapunt:
    """Record the besluit of an item; a discussed casus counts for herhaalsignaal and review."""
    overleg = _meeting_item(actor, agendapunt)
    # Lock only the item's own row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to the casus (fixed sections have none).
    item = (
        Agendapunt.objects.select_for_update(of=("self",))
        .select_related("casus")
        .get(pk=agendapunt.pk)
    )
    item.besluit = services.check_text(
        besluit, "besluit", max_length=TEXT_MAX_LENGTH, required=False
    )
    fields = ["besluit"]
    if besproken and item.casus is not None:
        item.besproken_op = op or timezone.now()
        item.risico_bij_bespreking = item.casus.risico
        fields += ["besproken_op", "risico_bij_bespreking"]
        Agendering.objects.filter(casus=item.casus, afgehandeld_op__isnull=True).update(
            afgehandeld_op=item.besproken_op
        )
    item.save(update_fields=fields)
    _audit(
        AuditAction.BESLUIT_RECORDED,
        actor,
        overleg,
        ref=f"{overleg_ref(overleg)}:{item.casus.referentie if item.casus else item.soort}",
    )
    return item


@transaction.atomic
def meeting_afspraak_create(
    *,
    actor: User,
    agendapunt: Agendapunt,
    omschrijving: str,
    partner: Partner | None,
    deadline: datetime.date | None,
) -> Afspraak:
    """An afspraak made in the meeting, for a partner involved in the casus."""
    overleg = _meeting_item(actor, agendapunt)
    if agendapunt.casus is None:
        raise ValidationError({"__all__": [_("Afspraken horen bij een casus.")]})
    afspraak = services.afspraak_create(
        actor=actor,
        casus=agendapunt.casus,
        omschrijving=omschrijving,
        partner=partner,
        deadline=deadline,
        via_overleg=overleg,
    )
    return afspraak


@transaction.atomic
def overleg_held(*, actor: User, overleg: Overleg, aanwezig: list[Partner]) -> Overleg:
    _require_chair(actor, overleg)
    overleg = _lock(overleg)
    _move(overleg, OverlegStatus.GEHOUDEN)
    overleg.save(update_fields=["status"])
    ids = {p.pk for p in aanwezig}
    rows = list(overleg.aanwezigheid.all())
    for row in rows:
        row.aanwezig = row.partner_id in ids
    Aanwezigheid.objects.bulk_update(rows, ["aanwezig"])
    _audit(AuditAction.OVERLEG_HELD, actor, overleg)
    return overleg


@transaction.atomic
def minutes_adopt(*, actor: User, overleg: Overleg, op: datetime.datetime | None = None) -> Overleg:
    _require_chair(actor, overleg)
    overleg = _lock(overleg)
    _move(overleg, OverlegStatus.VERSLAG_VASTGESTELD)
    overleg.verslag_vastgesteld_op = op or timezone.now()
    overleg.save(update_fields=["status", "verslag_vastgesteld_op"])
    _audit(AuditAction.MINUTES_ADOPTED, actor, overleg)
    return overleg


def casus_propose_closing(*, actor: User, casus: Casus) -> Casus:
    """Kept for callers of the meeting module: the action lives with the casus services."""
    return services.casus_propose_closing(actor=actor, casus=casus)


@transaction.atomic
def meeting_afspraak_outcome(
    *,
    actor: User,
    agendapunt: Agendapunt,
    afspraak: Afspraak,
    versie: int,
    uitkomst: str,
    uitkomst_toelichting: str = "",
) -> Afspraak:
    """The chair records the outcome of a carried-over afspraak of a casus on the agenda;
    niet_mogelijk (circumstances changed) and niet_uitgevoerd (not done) stay distinct."""
    overleg = _meeting_item(actor, agendapunt)
    if agendapunt.casus_id != afspraak.casus_id:
        raise PermissionDenied
    return services.afspraak_update(
        actor=actor,
        afspraak=afspraak,
        versie=versie,
        uitkomst=uitkomst,
        uitkomst_toelichting=uitkomst_toelichting,
        via_overleg=overleg,
    )
