"""Background job of the partners app: the FG's notice of a change in access to case content.

The e-mail says only that something happened and where to look: no name, no username, no role
(PRODUCT.md §6, "No identifiers or content in ... e-mails").
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from config.kernel import outbox
from partners.models import Role, User


def _subjects() -> dict[str, tuple[str, str]]:
    return {
        "requested": (
            gettext("Ketenregie: rolwijziging aangevraagd"),
            gettext("Er is een rolwijziging aangevraagd; zie Ketenregie."),
        ),
        "approved": (
            gettext("Ketenregie: rolwijziging goedgekeurd"),
            gettext("Er is een rolwijziging goedgekeurd; zie Ketenregie."),
        ),
        "rejected": (
            gettext("Ketenregie: rolwijziging afgewezen"),
            gettext("Er is een rolwijziging afgewezen; zie Ketenregie."),
        ),
    }


@outbox.job("partners.notify_privacy_officers", lease_seconds=60)
def notify_privacy_officers(notice: str) -> int:
    """One e-mail per active FG with an address; ``notice`` is requested/approved/rejected."""
    recipients = list(
        User.objects.filter(role=Role.PRIVACY_OFFICER, is_active=True, partner__is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = _subjects()[notice]
        link = f"{settings.SITE_URL}{reverse('fg:index')}"
        return send_mass_mail(
            [(subject, f"{text}\n{link}\n", None, [address]) for address in recipients]
        )
