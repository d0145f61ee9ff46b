"""Pages of the partners app: the role-aware home page, MFA enrolment, lockout and health."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import activate_totp as allauth_activate_totp

from partners import events
from partners.home import home_sections_for


@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/home.html",
        {"sections": home_sections_for(request.user)},
    )


@never_cache
def activate_totp(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """allauth's TOTP enrolment; a successful enrolment completes the session's MFA step.

    Entering a valid code from the new authenticator proves possession just like the login step.
    The enrolment and its audit event are one transaction.
    """
    user = request.user
    if user.is_authenticated and _has_totp(user):
        return redirect("home")
    with transaction.atomic():
        response: HttpResponse = allauth_activate_totp(request, *args, **kwargs)
        if (
            request.method == "POST"
            and user.is_authenticated
            and response.status_code == 302
            and _has_totp(user)
        ):
            events.record(
                action="auth.mfa_enrolled", actor=user, object_type="user", object_ref=str(user.pk)
            )
            record_authentication(request, user, "mfa", type="totp", enrolment=True)
    return response


def _has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def lockout(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes lockout: the same answer whether or not the username exists."""
    return render(request, "partners/lockout.html", status=429)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database readiness for load balancers and docker healthchecks; no data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
