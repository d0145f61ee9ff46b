"""Background jobs of the audit log: the daily chain verification and the retention purge.

Tasks take no personal data and no content; a cache lock keeps two runs from overlapping.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from celery import shared_task

from audit.models import AuditAction, Outcome
from audit.selectors import chain_verify
from audit.services import event_record, events_purge_expired
from config.kernel.locks import single_run
from partners.models import Role, User

logger = logging.getLogger(__name__)
LOCK_SECONDS = 60 * 60


def _alert_privacy_officers() -> None:
    """Content-free: the FG learns that verification failed, and where to look."""
    recipients = list(
        User.objects.filter(role=Role.PRIVACY_OFFICER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            subject="Ketenregie: controle auditketen mislukt",
            message=(
                "De dagelijkse controle van de auditketen is mislukt.\n"
                f"Bekijk het overzicht: {settings.SITE_URL}{reverse('fg:index')}\n"
            ),
            from_email=None,
            recipient_list=recipients,
        )


@shared_task(name="audit.verify_chain", ignore_result=True)
@single_run("audit.verify_chain", timeout=LOCK_SECONDS, skipped=True)
def verify_chain() -> bool:
    result = chain_verify()
    with transaction.atomic():
        event_record(
            action=AuditAction.AUDIT_VERIFIED,
            outcome=Outcome.SUCCESS if result.intact else Outcome.FAILURE,
            object_type="auditlog",
            object_ref=str(result.broken_id or ""),
        )
        if not result.intact:
            transaction.on_commit(_alert_privacy_officers)
    logger.info(
        "audit.verify_chain intact=%s checked=%s broken_id=%s",
        result.intact,
        result.checked,
        result.broken_id,
    )
    return result.intact


@shared_task(name="audit.purge_expired_events", ignore_result=True)
@single_run("audit.purge_expired_events", timeout=LOCK_SECONDS, skipped=0)
def purge_expired_events() -> int:
    removed = events_purge_expired()
    logger.info("audit.purge_expired_events removed=%s", removed)
    return removed
