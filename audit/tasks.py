"""Background jobs of the audit log: the sealer, the signed checkpoints, the daily chain
verification (with its e-mail to the FG) and the retention purge.

Tasks take no personal data and no content; a lock keeps two runs from overlapping.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from celery import shared_task

from audit import checkpoints, sealing
from audit.models import AuditAction, Outcome
from audit.selectors import ChainReport, chain_report
from audit.services import PurgeNotAllowedError, event_record, events_purge_expired
from config.kernel.locks import single_run
from partners.models import Role, User

logger = logging.getLogger(__name__)
LOCK_SECONDS = 60 * 60


def _privacy_officer_addresses() -> list[str]:
    return list(
        User.objects.filter(role=Role.PRIVACY_OFFICER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _mail_privacy_officers(report: ChainReport, checkpoint: checkpoints.Checkpoint | None) -> None:
    """The FG's daily e-mail: the result and the signed head, so a copy of the head exists where
    neither the database nor this server can change it. Content-free: numbers and hashes."""
    recipients = _privacy_officer_addresses()
    if not recipients:
        return
    lines = [
        "De dagelijkse controle van de auditketen is "
        + ("geslaagd." if report.intact else "MISLUKT."),
        "",
    ]
    lines += [f"- {problem}" for problem in report.problems]
    lines.append(f"Gecontroleerd: {report.chain.checked} gebeurtenissen.")
    if checkpoint is not None:
        lines += ["", "Ondertekend controlepunt (bewaar deze e-mail):", checkpoint.signed_text()]
    else:
        lines += ["", "Er kon geen ondertekend controlepunt worden gezet (geen sleutel)."]
    lines += ["", f"Bekijk het overzicht: {settings.SITE_URL}{reverse('fg:index')}"]
    send_mail(
        subject="Ketenregie: controle auditketen " + ("geslaagd" if report.intact else "mislukt"),
        message="\n".join(lines) + "\n",
        from_email=None,
        recipient_list=recipients,
    )


@shared_task(name="audit.seal", ignore_result=True)
def seal() -> int:
    """Chain what requests appended since the last run (a second ago)."""
    return sealing.seal_all()


def _checkpoint_or_none() -> checkpoints.Checkpoint | None:
    try:
        checkpoint = checkpoints.checkpoint_create()
    except checkpoints.CheckpointConfigurationError:
        logger.warning("audit.checkpoint skipped: AUDIT_SIGNING_KEY not configured")
        return None
    with transaction.atomic():
        event_record(
            action=AuditAction.AUDIT_CHECKPOINTED,
            object_type="auditlog",
            object_ref=str(checkpoint.seq),
        )
    return checkpoint


@shared_task(name="audit.checkpoint", ignore_result=True)
@single_run("audit.checkpoint", timeout=LOCK_SECONDS, skipped=None)
def checkpoint() -> int | None:
    made = _checkpoint_or_none()
    return made.seq if made else None


@shared_task(name="audit.verify_chain", ignore_result=True)
@single_run("audit.verify_chain", timeout=LOCK_SECONDS, skipped=True)
def verify_chain() -> bool:
    sealing.seal_all()
    report = chain_report()
    made = _checkpoint_or_none() if report.intact else None
    with transaction.atomic():
        event_record(
            action=AuditAction.AUDIT_VERIFIED,
            outcome=Outcome.SUCCESS if report.intact else Outcome.FAILURE,
            object_type="auditlog",
            object_ref=str(report.chain.broken_id or ""),
        )
        transaction.on_commit(lambda: _mail_privacy_officers(report, made))
    logger.info(
        "audit.verify_chain intact=%s checked=%s broken_id=%s",
        report.intact,
        report.chain.checked,
        report.chain.broken_id,
    )
    return report.intact


@shared_task(name="audit.purge_expired_events", ignore_result=True)
@single_run("audit.purge_expired_events", timeout=LOCK_SECONDS, skipped=0)
def purge_expired_events() -> int:
    try:
        removed = events_purge_expired()
    except PurgeNotAllowedError:
        logger.error("audit.purge_expired_events: this database login may not purge")
        return 0
    logger.info("audit.purge_expired_events removed=%s", removed)
    return removed
