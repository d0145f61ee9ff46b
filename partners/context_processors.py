"""Template context shared by every page: the signed-in user's partner, role label and menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from partners.home import home_sections_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_partner": user.partner,
        "current_role_label": user.get_role_display(),
        # The main menu: the parts of the platform the user's role can use (no dead links).
        "nav_sections": [section for section in home_sections_for(user) if section.url_name],
    }
