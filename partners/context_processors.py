"""Template context shared by every page: the signed-in user's partner and role label."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_partner": user.partner,
        "current_role_label": user.get_role_display(),
    }
