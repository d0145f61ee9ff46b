"""The FG's retention page: what the next purge would remove (references and dates only, no
content), the legal holds, and setting or lifting one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditAction
from audit.services import event_record
from casus import forms, retention
from casus.models import Casus, LegalHold, Signaal
from casus.selectors import record_denied
from casus.views import _service_errors
from partners.policy import Permission, has_permission


def _fg_only(view: Any) -> Any:
    @login_required
    @never_cache
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_permission(request.user, Permission.AVG_REPORTS):
            record_denied(user=request.user, object_type="retentie")
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def _context(request: HttpRequest, form: Any = None) -> dict[str, Any]:
    report = retention.purge_expired(dry_run=True)
    event_record(
        action=AuditAction.RETENTION_REPORT,
        actor=request.user,
        object_type="retentie",
        object_ref="dry-run",
    )
    dates = dict(
        Casus.objects.filter(referentie__in=report.casussen).values_list(
            "referentie", "afgesloten_op"
        )
    )
    return {
        "casussen": [(ref, dates.get(ref)) for ref in report.casussen],
        "signalen": list(
            Signaal.objects.filter(pk__in=report.signalen).values_list("pk", "triage_op")
        ),
        "held": report.held_casussen,
        "holds": LegalHold.objects.filter(opgeheven_op__isnull=True).select_related(
            "casus", "door"
        ),
        "form": form or forms.LegalHoldForm(),
        "retention_casus_days": settings.RETENTION_CASUS_AFGESLOTEN.days,
        "retention_signaal_days": settings.RETENTION_SIGNAAL_GEEN_VERVOLG.days,
    }


@_fg_only
@require_http_methods(["GET"])
def retention_overview(request: HttpRequest) -> HttpResponse:
    return render(request, "casus/retention.html", _context(request))


@_fg_only
@require_POST
def legal_hold_set(request: HttpRequest) -> HttpResponse:
    form = forms.LegalHoldForm(request.POST)
    if form.is_valid():
        referentie = form.cleaned_data["referentie"].strip()
        casus = Casus.objects.filter(referentie=referentie).first()
        signaal = None
        if casus is None and referentie.upper().startswith("S") and referentie[1:].isdigit():
            signaal = Signaal.objects.filter(pk=int(referentie[1:])).first()
        if casus is None and signaal is None:
            form.add_error("referentie", _("Er is geen casus of signaal met deze referentie."))
        else:
            try:
                retention.legal_hold_set(
                    actor=request.user,
                    reden=form.cleaned_data["reden"],
                    casus=casus,
                    signaal=signaal,
                )
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(
                    request, _("De bewaarplicht is ingesteld; de verwijdering wordt overgeslagen.")
                )
                return redirect("retentie:overview")
    return render(request, "casus/retention.html", _context(request, form), status=400)


@_fg_only
@require_POST
def legal_hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    hold = LegalHold.objects.filter(pk=pk, opgeheven_op__isnull=True).first()
    if hold is None:
        raise Http404
    retention.legal_hold_lift(actor=request.user, hold=hold)
    messages.success(request, _("De bewaarplicht is opgeheven."))
    return redirect("retentie:overview")
