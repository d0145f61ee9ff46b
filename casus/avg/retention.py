"""Retention (PRODUCT.md §6): expired signals and casussen are purged completely.

A signal closed as "geen vervolg" goes 6 months after triage, a closed casus 24 months after
closing, a casus whose consent was withdrawn at the next run. A purge removes the content, the
pseudonym tokens and match hints, bijdragen, afspraken, agenda notes, involvement and permission
rows and the django-auditlog change entries of all of them; it leaves a content-free tombstone
for the statistics and records the purge in the audit log. An active legal hold (set by the FG)
blocks it. Every casus or signal is purged in its own transaction: a run that is killed halfway
leaves no half-purged object, and the next run simply continues.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry

from audit.models import AuditAction
from audit.services import ObjectRef, event_record, events_record_bulk
from casus.casussen import services
from casus.models import (
    SHORT_TEXT_MAX_LENGTH,
    Afspraak,
    Agendapunt,
    Agendering,
    Betrokkenheid,
    Bijdrage,
    Casus,
    CasusUitkomst,
    Grondslag,
    LegalHold,
    MatchHint,
    Signaal,
    SignaalStatus,
    Status,
    StatusWijziging,
    Tombstone,
)
from config.kernel import outbox
from partners.models import User
from partners.policy import Permission, has_permission

logger = logging.getLogger(__name__)


def _month(moment: datetime.datetime | datetime.date) -> datetime.date:
    day = timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment
    return day.replace(day=1)


def _maybe_month(moment: datetime.datetime | datetime.date | None) -> datetime.date | None:
    return None if moment is None else _month(moment)


def _has_active_hold(field_name: str) -> Exists:
    return Exists(
        LegalHold.objects.filter(**{field_name: OuterRef("pk")}, opgeheven_op__isnull=True)
    )


def expired_signalen(*, now: datetime.datetime | None = None) -> QuerySet[Signaal]:
    """Signals closed without follow-up whose retention has passed (linked ones go with their casus)."""
    now = now or timezone.now()
    return (
        Signaal.objects.filter(
            status=SignaalStatus.GEEN_VERVOLG,
            triage_op__lt=now - settings.RETENTION_SIGNAAL_GEEN_VERVOLG,
        )
        .exclude(_has_active_hold("signaal"))
        .order_by("pk")
    )


def expired_casussen(*, now: datetime.datetime | None = None) -> QuerySet[Casus]:
    """Closed casussen past their retention, and closed casussen whose consent was withdrawn."""
    now = now or timezone.now()
    return (
        Casus.objects.filter(status=Status.AFGESLOTEN)
        .filter(
            Q(afgesloten_op__lt=now - settings.RETENTION_CASUS_AFGESLOTEN)
            | Q(toestemming_ingetrokken_op__isnull=False)
        )
        .exclude(_has_active_hold("casus"))
        .order_by("pk")
    )


def _forget_change_history(model: type[models.Model], pks: Sequence[int]) -> None:
    """django-auditlog entries of purged objects go too (their field values were redacted,
    but even the fact and moments of the changes belong to the purged object)."""
    if pks:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(pk) for pk in pks],
        ).delete()


def _tombstone_signal(signaal: Signaal) -> Tombstone:
    return Tombstone(
        soort="signaal",
        periode=_month(signaal.datum_waargenomen),
        afgesloten_periode=_maybe_month(signaal.triage_op),
        bron=signaal.bron,
        sector=signaal.sector,
        gemeente=signaal.gemeente,
        status=signaal.status,
        indicatoren=sorted(signaal.indicatoren.values_list("code", flat=True)),
    )


def _purge_signals(signalen: list[Signaal]) -> None:
    ids = [s.pk for s in signalen]
    Tombstone.objects.bulk_create([_tombstone_signal(s) for s in signalen])
    _forget_change_history(Signaal, ids)
    _forget_change_history(
        LegalHold, list(LegalHold.objects.filter(signaal_id__in=ids).values_list("pk", flat=True))
    )
    with disable_auditlog():
        MatchHint.objects.filter(Q(signaal_id__in=ids) | Q(ander_signaal_id__in=ids)).delete()
        Signaal.objects.filter(pk__in=ids).delete()  # tokens and holds cascade


@transaction.atomic
def signaal_purge(*, signaal: Signaal) -> bool:
    locked = Signaal.objects.select_for_update().filter(pk=signaal.pk).first()
    if locked is None:
        return False  # already purged by an earlier (interrupted) run
    if locked.holds.filter(opgeheven_op__isnull=True).exists():
        return False
    _purge_signals([locked])
    event_record(
        action=AuditAction.SIGNAAL_PURGED, object_type="signaal", object_ref=f"S{locked.pk}"
    )
    return True


@transaction.atomic
def casus_purge(*, casus: Casus) -> bool:
    """Purge one casus with everything that belongs to it, leaving tombstones."""
    locked = Casus.objects.select_for_update().filter(pk=casus.pk).first()
    if locked is None:
        return False  # already purged by an earlier (interrupted) run
    casus = locked
    if casus.holds.filter(opgeheven_op__isnull=True).exists():
        return False
    Tombstone.objects.create(
        soort="casus",
        periode=_month(casus.geopend_op),
        afgesloten_periode=_maybe_month(casus.afgesloten_op),
        sector=casus.sector,
        gemeente=casus.gemeente,
        risico=casus.risico,
        status=casus.status,
        uitkomst=casus.uitkomst,
    )
    signalen = list(casus.signalen.prefetch_related("indicatoren"))
    _purge_signals(signalen)
    for model in (
        Bijdrage,
        Afspraak,
        Betrokkenheid,
        StatusWijziging,
        Agendering,
        Agendapunt,
        LegalHold,
    ):
        _forget_change_history(
            model, list(model.objects.filter(casus=casus).values_list("pk", flat=True))
        )
    _forget_change_history(Casus, [casus.pk])
    referentie = casus.referentie
    with disable_auditlog():  # no "deleted" change entries: they would name what is gone
        casus.delete()  # bijdragen, afspraken, involvement, permissions, agenda items cascade
    event_record(action=AuditAction.CASUS_PURGED, object_type="casus", object_ref=referentie)
    # The casus's signals went with it: each purge is an event too, so the log shows every
    # reference that is gone.
    if signalen:
        events_record_bulk(
            action=AuditAction.SIGNAAL_PURGED,
            objects=[ObjectRef("signaal", f"S{signaal.pk}") for signaal in signalen],
        )
    return True


@dataclass
class PurgeReport:
    casussen: list[str] = field(default_factory=list)
    signalen: list[int] = field(default_factory=list)
    held_casussen: list[str] = field(default_factory=list)


_Purgeable = TypeVar("_Purgeable", Casus, Signaal)


def _in_batches(queryset: QuerySet[_Purgeable], batch_size: int) -> Iterator[_Purgeable]:
    """The rows of ``queryset`` in id order, ``batch_size`` per query, each query continuing
    after the last id of the one before (no OFFSET, no growing exclusion list). Rows purged
    while the loop runs do not shift what comes next."""
    last_id = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        last_id = batch[-1].pk


def purge_expired(
    *, dry_run: bool = False, now: datetime.datetime | None = None, batch_size: int = 100
) -> PurgeReport:
    """Purge everything expired (or, with dry_run, only report it). Restartable and idempotent."""
    now = now or timezone.now()
    report = PurgeReport(
        held_casussen=list(
            Casus.objects.filter(
                status=Status.AFGESLOTEN,
                afgesloten_op__lt=now - settings.RETENTION_CASUS_AFGESLOTEN,
            )
            .filter(_has_active_hold("casus"))
            .values_list("referentie", flat=True)
        )
    )
    # Keyset batches (ordered by id, the next batch after the last id seen): every batch is one
    # cheap query, however many were done before; a dry run walks the same loop.
    for casus in _in_batches(expired_casussen(now=now).only("pk", "referentie"), batch_size):
        report.casussen.append(casus.referentie)
        if not dry_run:
            casus_purge(casus=casus)
            outbox.heartbeat()
    for signaal in _in_batches(expired_signalen(now=now).only("pk"), batch_size):
        report.signalen.append(signaal.pk)
        if not dry_run:
            signaal_purge(signaal=signaal)
            outbox.heartbeat()
    logger.info(
        "retention.purge dry_run=%s casussen=%s signalen=%s held=%s",
        dry_run,
        len(report.casussen),
        len(report.signalen),
        len(report.held_casussen),
    )
    return report


# --- legal hold and consent withdrawal --------------------------------------------------------


@transaction.atomic
def legal_hold_set(
    *, actor: User, reden: str, casus: Casus | None = None, signaal: Signaal | None = None
) -> LegalHold:
    """The FG blocks the purge of a casus or signal (e.g. a pending procedure), with a reason."""
    if not has_permission(actor, Permission.AVG_REPORTS):
        raise PermissionDenied
    if (casus is None) == (signaal is None):
        raise ValidationError({"referentie": [_("Kies één casus of één signaal.")]})
    reden = services.check_text(reden, "reden", max_length=SHORT_TEXT_MAX_LENGTH)
    hold = LegalHold.objects.create(casus=casus, signaal=signaal, reden=reden, door=actor)
    event_record(
        action=AuditAction.LEGAL_HOLD_SET,
        actor=actor,
        object_type="casus" if casus else "signaal",
        object_ref=casus.referentie if casus else f"S{signaal.pk if signaal else ''}",
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, hold: LegalHold) -> LegalHold:
    if not has_permission(actor, Permission.AVG_REPORTS):
        raise PermissionDenied
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.opgeheven_op is not None:
        raise ValidationError({"__all__": [_("Deze bewaarplicht is al opgeheven.")]})
    hold.opgeheven_op = timezone.now()
    hold.save(update_fields=["opgeheven_op"])
    event_record(
        action=AuditAction.LEGAL_HOLD_LIFTED,
        actor=actor,
        object_type="casus" if hold.casus_id else "signaal",
        object_ref=hold.casus.referentie if hold.casus else f"S{hold.signaal_id}",
    )
    return hold


@transaction.atomic
def consent_withdraw(*, actor: User, casus: Casus) -> Casus:
    """The person withdrew consent: recorded, the casus is closed, and the next purge removes it."""
    if not has_permission(actor, Permission.CASUS_MANAGE):
        raise PermissionDenied
    casus = Casus.objects.select_for_update().get(pk=casus.pk)
    if casus.grondslag != Grondslag.TOESTEMMING:
        raise ValidationError({"grondslag": [_("Deze casus rust niet op toestemming.")]})
    if casus.toestemming_ingetrokken_op is not None:
        raise ValidationError({"__all__": [_("De intrekking is al vastgelegd.")]})
    casus.toestemming_ingetrokken_op = timezone.now()
    casus.save(update_fields=["toestemming_ingetrokken_op"])
    event_record(
        action=AuditAction.CONSENT_WITHDRAWN,
        actor=actor,
        purpose=casus.grondslag,
        object_type="casus",
        object_ref=casus.referentie,
    )
    if casus.status != Status.AFGESLOTEN:
        casus = services.casus_change_status(
            actor=actor,
            casus=casus,
            status=Status.AFGESLOTEN,
            toelichting=_("Toestemming ingetrokken."),
            _outcome_by_action=CasusUitkomst.TOESTEMMING_INGETROKKEN,
        )
    return casus
