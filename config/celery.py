"""The Celery application: Redis broker, JSON only, tasks take ids only."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ketenregie")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The packages that hold tasks (each in its tasks.py): the audit app and the casus features.
app.autodiscover_tasks(["config.kernel", "audit", "casus.overleg", "casus.avg"])


@app.task(name="ketenregie.health")
def health() -> str:
    """A trivial task that proves a worker picks up work from the broker."""
    return "ok"


@app.task(name="ketenregie.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Periodic beat task: records that beat and a worker are alive (read by the health page)."""
    from django.core.cache import cache
    from django.utils import timezone

    cache.set("ketenregie:heartbeat", timezone.now().isoformat(), timeout=3600)
