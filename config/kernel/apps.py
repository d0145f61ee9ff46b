"""The kernel as a Django app: it owns the tables of its mechanics (the job outbox, once-only
submits and the database cache), none of which knows a domain."""

from __future__ import annotations

from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "config.kernel"
    label = "kernel"
    verbose_name = "Kernel"
    default_auto_field = "django.db.models.BigAutoField"
