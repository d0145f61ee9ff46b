"""Background jobs of the ketenoverleg: agenda generation (scheduled and on demand) and
content-free notifications. Tasks take ids only, re-fetch, call one service, and are idempotent."""

from __future__ import annotations

import datetime
import logging
from functools import cache

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import holidays
from celery import shared_task

from casus.models import Afspraak, GeneratieStatus, Overleg, OverlegStatus
from casus.overleg import agenda, services
from config.kernel import outbox
from config.kernel.locks import single_run
from partners.models import Role, User

logger = logging.getLogger(__name__)


LOCK_SECONDS = 15 * 60


@cache
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def agenda_day(meeting: datetime.date, working_days: int | None = None) -> datetime.date:
    """The day the agenda is generated: N working days before the meeting (weekends and Dutch
    public holidays do not count)."""
    remaining = settings.AGENDA_WORKING_DAYS_BEFORE if working_days is None else working_days
    day = meeting
    while remaining > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def _notify_agenda_ready(overleg_id: int) -> None:
    """To the users of the invited partners: only that an agenda is ready, and a link."""
    overleg = Overleg.objects.select_related("serie").get(pk=overleg_id)
    link = f"{settings.SITE_URL}{reverse('overleg:detail', args=[overleg.pk])}"
    recipients = (
        User.objects.filter(is_active=True, partner__in=overleg.serie.partners.all())
        .filter(role__in=[Role.MEDEWERKER, Role.ZORGCOORDINATOR, Role.VOORZITTER])
        .exclude(email="")
        .values_list("email", flat=True)
    )
    send_mass_mail(
        [
            (
                "Ketenregie: concept-agenda klaar",
                f"De concept-agenda van het volgende ketenoverleg staat klaar.\n{link}\n",
                None,
                [address],
            )
            for address in recipients
        ]
    )


def generate_agenda(overleg_id: int, notify: bool = False) -> int:
    """Generate (or regenerate) the meeting's concept agenda with visible progress; returns the
    number of items. The agenda, its "klaar" status and, when run as a job, the job's completion
    commit together."""
    services.agenda_generation_progress(overleg_id=overleg_id, status=GeneratieStatus.BEZIG)
    try:
        with transaction.atomic():
            result = agenda.agenda_generate(overleg=Overleg.objects.get(pk=overleg_id))
            services.agenda_generation_progress(overleg_id=overleg_id, status=GeneratieStatus.KLAAR)
            outbox.complete_current()
            if result.generated and notify:
                transaction.on_commit(lambda: _notify_agenda_ready(overleg_id))
    except Exception:
        # Back in the queue: the job is retried with back-off (and marked failed for the chair
        # only when its retries are spent).
        services.agenda_generation_progress(overleg_id=overleg_id, status=GeneratieStatus.WACHT)
        logger.exception("agenda.generate_failed overleg_id=%s", overleg_id)
        raise
    logger.info("agenda.generated overleg_id=%s items=%s", overleg_id, result.items)
    return result.items


def _generation_given_up(overleg_id: int, notify: int = 0) -> None:
    services.agenda_generation_progress(overleg_id=overleg_id, status=GeneratieStatus.MISLUKT)


@outbox.job(
    "casus.generate_agenda", lease_seconds=60, atomic=False, on_give_up=_generation_given_up
)
def generate_agenda_job(overleg_id: int, notify: int = 0) -> None:
    generate_agenda(overleg_id, notify=bool(notify))


@shared_task(name="casus.schedule_agendas", ignore_result=True)
@single_run("casus.schedule_agendas", timeout=LOCK_SECONDS, skipped=[])
def schedule_agendas() -> list[int]:
    """Every quarter of an hour: queue the agendas whose day has come (N working days before the
    meeting). Idempotent: a meeting with a concept agenda is no longer due, and an open job for
    the same meeting is reused, so a run lost while Redis was down is made up by the next."""
    today = timezone.localdate()
    due = [
        overleg.pk
        for overleg in Overleg.objects.filter(
            status=OverlegStatus.GEPLAND, datum__gte=timezone.now()
        ).select_related("serie")
        if agenda_day(timezone.localdate(overleg.datum), overleg.serie.agenda_werkdagen) <= today
    ]
    with transaction.atomic():
        for overleg_id in due:
            outbox.enqueue("casus.generate_agenda", overleg_id, 1, key=f"agenda:{overleg_id}")
    return due


@shared_task(name="casus.notify_afspraken", ignore_result=True)
@single_run("casus.notify_afspraken", timeout=LOCK_SECONDS, skipped=0)
def notify_afspraken() -> int:
    """Daily: each partner with an open afspraak due within three days or overdue gets one
    content-free reminder (no casus, no text: a link to the platform)."""
    horizon = timezone.localdate() + datetime.timedelta(days=3)
    partner_ids = set(
        Afspraak.objects.filter(uitkomst="open", deadline__lte=horizon).values_list(
            "partner_id", flat=True
        )
    )
    recipients = (
        User.objects.filter(is_active=True, role=Role.MEDEWERKER, partner_id__in=partner_ids)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    link = f"{settings.SITE_URL}{reverse('home')}"
    messages = [
        (
            "Ketenregie: afspraak van uw organisatie",
            f"Er is een afspraak van uw organisatie die bijna of al over de uiterste datum is.\n{link}\n",
            None,
            [address],
        )
        for address in recipients
    ]
    return send_mass_mail(messages)
