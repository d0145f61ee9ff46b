"""The complete audit record of viewing the trend statistics: the viewer with partner and role,
and the period and grouping shown (never a count or a reference to a case)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

import pytest

from audit.models import AuditAction
from partners.models import Role
from tests.audit_records import assert_written_by, audit_record, last_event_id, records_since
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params,shown",
    [
        ({}, "2025-03:2026-02:maand"),  # the default: the last twelve full months
        ({"van": "2024-02", "tot": "2025-11", "per": "kwartaal"}, "2024-02:2025-11:kwartaal"),
    ],
)
def test_viewing_the_trends_records_the_selection(mfa_client, params, shown) -> None:
    analist = UserFactory.create(role=Role.ANALIST, mfa=True)
    client: Client = mfa_client(analist)
    before = last_event_id()

    response = client.get(reverse("trends:index"), params)

    assert response.status_code == 200
    assert records_since(before) == [
        audit_record(
            AuditAction.TRENDS_VIEWED, actor=analist, object_type="trends", object_ref=shown
        )
    ]
    assert_written_by(response, before)


def test_a_selection_that_is_refused_shows_nothing_and_records_nothing(mfa_client) -> None:
    client: Client = mfa_client(UserFactory.create(role=Role.ANALIST, mfa=True))
    before = last_event_id()
    response = client.get(reverse("trends:index"), {"van": "2025-06", "tot": "2025-01"})
    assert response.status_code == 200
    assert response.context["trends"] is None
    assert records_since(before) == []
