"""The platform's navigation: the home page's sections per role and the main menu in every
page's context (what each role will find where; no dead links)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partners.models import Partner, User
from partners.policy import Permission, permissions_of


@dataclass(frozen=True)
class HomeSection:
    title: str | Promise
    description: str | Promise
    permission: Permission
    url_name: str | None = None  # None: this part of the platform is not available yet


SECTIONS: tuple[HomeSection, ...] = (
    HomeSection(
        _("Signaal melden"),
        _("Meld wat u zag, gepseudonimiseerd: namen worden nooit opgeslagen."),
        Permission.SIGNAAL_SUBMIT,
        "signalen:new",
    ),
    HomeSection(
        _("Mijn signalen"),
        _("De signalen van uw organisatie en wat ermee gebeurd is."),
        Permission.SIGNAAL_SUBMIT,
        "signalen:list",
    ),
    HomeSection(
        _("Inbox signalen"),
        _("Nieuwe signalen beoordelen, met hints over mogelijke overeenkomsten."),
        Permission.SIGNAAL_TRIAGE,
        "signalen:inbox",
    ),
    HomeSection(
        _("Casussen"),
        _("De casussen waarbij uw organisatie betrokken is, met bijdragen en afspraken."),
        Permission.CASUS_READ_CONTENT,
        "casussen:list",
    ),
    HomeSection(
        _("Ketenoverleg"),
        _("Overleggen plannen, de agenda vaststellen en besluiten en afspraken vastleggen."),
        Permission.OVERLEG_CHAIR,
        "overleg:list",
    ),
    HomeSection(
        _("Agenda voorbereiden"),
        _("De gegenereerde concept-agenda van het volgende ketenoverleg controleren."),
        Permission.AGENDA_PREPARE,
        "overleg:list",
    ),
    # Everyone with case content reaches the meetings of their partner (issue 16, D18); the
    # chair and the coordinator have their own entry above, so theirs is shown instead.
    HomeSection(
        _("Ketenoverleg"),
        _("De agenda en het verslag van de overleggen waaraan uw organisatie deelneemt."),
        Permission.CASUS_READ_CONTENT,
        "overleg:list",
    ),
    HomeSection(
        _("Auditlog en toegang"),
        _("Wie zag of wijzigde wat, wanneer en waarom; de controle van de hashketen."),
        Permission.AUDIT_VIEW,
        "fg:index",
    ),
    HomeSection(
        _("AVG-rapportages"),
        _("Bewaartermijnen, inzageverzoeken en het verwerkingsregister."),
        Permission.AVG_REPORTS,
        "fg:register",
    ),
    HomeSection(
        _("Gebruikers en organisaties"),
        _("Accounts, ketenpartners en instellingen beheren."),
        Permission.USERS_ADMINISTER,
        "admin:index",
    ),
    HomeSection(
        _("Bewaartermijnen"),
        _("Wat de volgende verwijderronde weghaalt, en bewaarplichten."),
        Permission.AVG_REPORTS,
        "avg:retention",
    ),
    HomeSection(
        _("Verzoeken van betrokkenen"),
        _("Inzage, rectificatie en wissing: registreren en volgen."),
        Permission.AVG_REPORTS,
        "avg:verzoek_list",
    ),
    HomeSection(
        _("Verzoeken van betrokkenen"),
        _("Het rapport samenstellen voor iemand die om inzage vraagt."),
        Permission.SIGNAAL_TRIAGE,
        "avg:verzoek_list",
    ),
    HomeSection(
        _("Trends"),
        _("Geanonimiseerde aantallen per periode (cellen onder de 5 worden niet getoond)."),
        Permission.TRENDS_VIEW,
        "trends:index",
    ),
)


def home_sections_for(user: User | AnonymousUser) -> list[HomeSection]:
    """The sections of the user's role; none for an anonymous visitor."""
    granted = permissions_of(user)
    shown: list[HomeSection] = []
    for section in SECTIONS:
        # One entry per page: the first (most specific) section of the role wins.
        if section.permission in granted and not any(
            section.url_name and other.url_name == section.url_name for other in shown
        ):
            shown.append(section)
    return shown


class NavigationContext(TypedDict, total=False):
    current_partner: Partner
    current_role_label: str
    nav_sections: list[HomeSection]


def navigation(request: HttpRequest) -> NavigationContext:
    # A request that did not pass AuthenticationMiddleware has no user.
    user: User | AnonymousUser | None = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_partner": user.partner,
        "current_role_label": user.get_role_display(),
        # The main menu: the parts of the platform the user's role can use (no dead links).
        "nav_sections": [section for section in home_sections_for(user) if section.url_name],
    }


@login_required
@never_cache
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The role-aware home page: the parts of the platform this user's role can use."""
    return render(request, "partners/home.html", {"sections": home_sections_for(request.user)})
