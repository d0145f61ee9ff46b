"""App configuration for partners."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Ketenpartners en gebruikers")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from partners import tasks  # noqa: F401 - registers the FG notice job of the outbox
        from partners.models import Partner, User

        # Change history of accounts and organisations; secrets and login noise stay out.
        auditlog.register(Partner)
        auditlog.register(User, exclude_fields=["password", "last_login"])
