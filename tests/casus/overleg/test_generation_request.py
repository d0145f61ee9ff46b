"""The chair's "Agenda genereren" is a service: status from a closed list, an audit event in the
same transaction, and the job queued only once the request is committed."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from audit.models import AuditAction, AuditEvent
from casus.models import GeneratieStatus, Overleg, OverlegStatus
from casus.overleg import services
from tests.audit_records import audit_record, last_event_id, records_since
from tests.casus.overleg.test_overleg_world import build_world, plan

pytestmark = pytest.mark.django_db


def test_request_sets_wacht_audits_and_queues_after_commit(
    django_capture_on_commit_callbacks,
) -> None:
    world = build_world()
    chair = world.chair
    overleg = plan(world, timezone.now() + datetime.timedelta(days=10))
    before = last_event_id()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.agenda_generation_request(actor=chair, overleg=overleg)
    assert Overleg.objects.get(pk=overleg.pk).generatie_status == GeneratieStatus.WACHT
    assert len(callbacks) == 1  # the job is queued on commit, not before
    assert records_since(before) == [
        audit_record(
            AuditAction.AGENDA_GENERATION_REQUESTED,
            actor=chair,
            object_type="overleg",
            object_ref=f"O{overleg.pk}",
        )
    ]
    callbacks[0]()  # tasks run eagerly in the tests: the job finishes
    assert Overleg.objects.get(pk=overleg.pk).generatie_status == GeneratieStatus.KLAAR


def test_a_medewerker_may_not_request_generation() -> None:
    world = build_world()
    overleg = plan(world, timezone.now() + datetime.timedelta(days=10))
    with pytest.raises(PermissionDenied):
        services.agenda_generation_request(actor=world.medewerker["fier"], overleg=overleg)
    assert Overleg.objects.get(pk=overleg.pk).generatie_status == GeneratieStatus.GEEN


def test_a_fixed_agenda_is_not_regenerated() -> None:
    world = build_world()
    overleg = plan(world, timezone.now() + datetime.timedelta(days=10))
    Overleg.objects.filter(pk=overleg.pk).update(status=OverlegStatus.AGENDA_DEFINITIEF)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.agenda_generation_request(
            actor=world.chair, overleg=Overleg.objects.get(pk=overleg.pk)
        )
    assert AuditEvent.objects.count() == before
