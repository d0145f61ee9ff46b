"""What leaves the platform about a meeting carries no case data (PRODUCT.md §4.4, §6): the
calendar invite (date, place, link), the agenda-ready e-mail and the afspraken reminder. And
when the agenda is generated: N Dutch working days before the meeting (Celery beat)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import mail

import pytest
import time_machine
from icalendar import Calendar

from casus.models import Overleg, OverlegStatus
from casus.overleg import services as overleg
from casus.overleg import tasks
from partners.models import Role
from tests.casus.overleg.test_overleg_world import (
    AFSPRAAK_TEKST,
    AMSTERDAM,
    BESLUIT_A,
    BESLUIT_B,
    MEETING,
    PREVIOUS,
    HeldMeeting,
    build_world,
    held_meeting,
    hold,
    make_afspraak,
    open_casus,
    plan,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARTNER_NAMES = ("Fier Testregio", "Politie Testregio", "Gemeente Testdorp", "GGD Testregio")


def _case_data(held: HeldMeeting) -> tuple[str, ...]:
    return (
        held.a.referentie,
        held.b.referentie,
        held.c.referentie,
        BESLUIT_A,
        BESLUIT_B,
        AFSPRAAK_TEKST,
        *PARTNER_NAMES,
    )


def test_the_calendar_invite_has_date_place_and_link_only(mfa_client) -> None:
    held = held_meeting(build_world(mfa=True))
    response = mfa_client(held.world.medewerker["politie"]).get(
        f"/overleggen/{held.meeting.pk}/uitnodiging.ics"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == MEETING
    assert str(event["location"]) == "Stadskantoor, zaal 3"
    assert str(event["url"]) == f"{settings.SITE_URL}/overleggen/{held.meeting.pk}/"
    assert str(event["summary"]) == "Ketenoverleg"
    assert "description" not in event and "attendee" not in event
    raw = response.content.decode()
    for data in _case_data(held):
        assert data not in raw


def test_the_agenda_ready_mail_says_only_that_and_links(django_capture_on_commit_callbacks) -> None:
    world = build_world(email=True)
    hold(world, PREVIOUS, [])
    casus = open_casus(world, partners=[world.politie])
    afspraak = make_afspraak(
        world, casus, deadline=datetime.date(2026, 2, 20), partner=world.politie
    )
    UserFactory.create(role=Role.PRIVACY_OFFICER, partner=world.gemeente, email="fg@example.org")
    meeting = plan(world, MEETING)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.generate_agenda(meeting.pk, notify=True)

    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [
            "coordinator@example.org",
            "vz@example.org",
            "fier@example.org",
            "politie@example.org",
            "gemeente@example.org",
            "ggd@example.org",
        ]
    )  # not Stichting Elders (not invited), not the FG (no case content)
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert f"{settings.SITE_URL}/overleggen/{meeting.pk}/" in message.body
        for data in (casus.referentie, afspraak.omschrijving, *PARTNER_NAMES, "Stichting Elders"):
            assert data not in text

    # Regenerating without notify, or a frozen agenda, sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.generate_agenda(meeting.pk)
    overleg.agenda_finalise(actor=world.chair, overleg=Overleg.objects.get(pk=meeting.pk))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.generate_agenda(meeting.pk, notify=True)
    assert mail.outbox == []


def test_the_afspraken_reminder_carries_no_case_data() -> None:
    world = build_world(email=True)
    due = open_casus(world, partners=[world.politie, world.ggd])
    soon = make_afspraak(world, due, deadline=datetime.date(2026, 3, 4), partner=world.politie)
    late = make_afspraak(world, due, deadline=datetime.date(2026, 2, 20), partner=world.politie)
    make_afspraak(world, due, deadline=datetime.date(2026, 3, 20), partner=world.ggd)  # not yet
    mail.outbox.clear()

    assert tasks.notify_afspraken() == 1
    [message] = mail.outbox
    assert message.to == ["politie@example.org"]  # one reminder per person, not per afspraak
    assert f"{settings.SITE_URL}/" in message.body
    text = f"{message.subject}\n{message.body}"
    for data in (due.referentie, soon.omschrijving, late.omschrijving, *PARTNER_NAMES):
        assert data not in text


@pytest.mark.parametrize(
    "meeting,expected,why",
    [
        # Tuesday after Koningsdag (Monday 27 April 2026): the holiday and a weekend skipped
        # (without the holiday it would be the 21st, and the 22nd for the next day).
        (datetime.date(2026, 4, 28), datetime.date(2026, 4, 20), "koningsdag"),
        (datetime.date(2026, 4, 29), datetime.date(2026, 4, 21), "koningsdag"),
        # Easter: Goede Vrijdag (3 April) and Paasmaandag (6 April) do not count.
        (datetime.date(2026, 4, 8), datetime.date(2026, 3, 30), "pasen"),
        # Hemelvaart on Thursday 14 May 2026.
        (datetime.date(2026, 5, 19), datetime.date(2026, 5, 11), "hemelvaart"),
        # Christmas on Friday 25 December 2026 (Tweede Kerstdag falls on the Saturday).
        (datetime.date(2026, 12, 29), datetime.date(2026, 12, 21), "kerst"),
        # An ordinary week: Monday's agenda is ready the Monday before.
        (datetime.date(2026, 3, 16), datetime.date(2026, 3, 9), "gewone week"),
    ],
)
def test_agenda_day_counts_dutch_working_days(meeting, expected, why) -> None:
    assert settings.AGENDA_WORKING_DAYS_BEFORE == 5
    assert tasks.agenda_day(meeting) == expected, why


def test_working_days_skip_weekends_and_public_holidays() -> None:
    for holiday in ("2026-04-03", "2026-04-06", "2026-04-27", "2026-05-14", "2026-05-25"):
        assert not tasks.is_working_day(datetime.date.fromisoformat(holiday)), holiday
    assert not tasks.is_working_day(datetime.date(2026, 4, 25))  # Saturday
    assert tasks.is_working_day(datetime.date(2026, 4, 28))
    assert tasks.agenda_day(datetime.date(2026, 4, 28), working_days=1) == datetime.date(
        2026, 4, 24
    )
    assert tasks.agenda_day(datetime.date(2026, 4, 28), working_days=0) == datetime.date(
        2026, 4, 28
    )


def test_schedule_agendas_generates_exactly_the_meetings_whose_day_has_come(
    django_capture_on_commit_callbacks,
) -> None:
    world = build_world()
    open_casus(world)

    def at(day: int) -> datetime.datetime:
        return datetime.datetime(2026, 4, day, 13, 30, tzinfo=AMSTERDAM)

    due = plan(world, at(28))  # agenda day Monday 20 April
    late = plan(world, at(23))  # its day (16 April) passed: caught up
    not_yet = plan(world, at(29))  # agenda day Tuesday 21 April (Koningsdag counts not)
    past = plan(world, at(17))  # the meeting itself has passed
    concept = plan(world, at(28) + datetime.timedelta(hours=2))  # already generated
    tasks.generate_agenda(concept.pk)

    with (
        time_machine.travel(datetime.datetime(2026, 4, 20, 6, 0, tzinfo=AMSTERDAM), tick=False),
        django_capture_on_commit_callbacks(execute=True),  # the jobs run once it commits
    ):
        scheduled = tasks.schedule_agendas()

    assert sorted(scheduled) == sorted([due.pk, late.pk])
    status = dict(Overleg.objects.values_list("pk", "status"))
    assert status[due.pk] == status[late.pk] == OverlegStatus.AGENDA_CONCEPT
    assert status[not_yet.pk] == status[past.pk] == OverlegStatus.GEPLAND
    with time_machine.travel(datetime.datetime(2026, 4, 21, 6, 0, tzinfo=AMSTERDAM), tick=False):
        assert tasks.schedule_agendas() == [not_yet.pk]
