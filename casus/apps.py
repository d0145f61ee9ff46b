"""App configuration for casus."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasusConfig(AppConfig):
    name = "casus"
    verbose_name = _("Casusregie")

    def ready(self) -> None:
        from casus import history as auditing

        auditing.register()
