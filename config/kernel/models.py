"""Tables of the kernel's mechanics: the outbox of background jobs and once-only submits.

Neither holds personal data or case content: a job's arguments are ids, a once-only record keeps
where the first submit led (a path with ids) or, for the API, the first answer encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "wacht", "In de wachtrij"
    RUNNING = "bezig", "Bezig"
    DONE = "klaar", "Klaar"
    FAILED = "mislukt", "Mislukt"


OPEN_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """One background job, written in the same transaction as the action that starts it (a
    transactional outbox): if the action commits, the job exists; if not, neither does."""

    name = models.CharField(max_length=100)  # the registered job, e.g. "casus.generate_agenda"
    args = models.JSONField(default=list, blank=True)  # ids only
    key = models.CharField(max_length=100, blank=True, default="")  # one open job per key
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)  # not before (retry back-off)
    dispatched_at = models.DateTimeField(null=True, blank=True)  # last handed to the broker
    started_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)  # a running job's lease
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=100, blank=True, default="")  # exception class only

    class Meta:
        indexes = [models.Index(fields=["status", "available_at"], name="kernel_job_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status__in=["wacht", "bezig"]) & ~Q(key=""),
                name="kernel_job_one_open_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"Job {self.pk} {self.name} ({self.status})"


class OnceOnly(models.Model):
    """A form or API submit that must take effect once: a repeat with the same token gets the
    first answer and creates nothing new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    done = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True, default="")  # pages: the redirect
    body = models.TextField(blank=True, default="")  # API: the first answer, encrypted

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="kernel_onceonly_per_user")
        ]

    def __str__(self) -> str:
        return f"OnceOnly {self.pk}"
