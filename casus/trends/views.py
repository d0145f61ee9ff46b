"""The trends page: k-anonymised counts per period, as tables and charts.

Only for roles with TRENDS_VIEW (analist, voorzitter, zorgcoördinator); anyone else gets a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from audit.models import AuditAction
from audit.services import event_record
from casus.trends import periods
from casus.trends import tables as statistics
from casus.trends.charts import Grafiek, grafiek_for
from casus.trends.forms import TrendsFilterForm, _month_text
from casus.trends.periods import INDELINGEN, Selectie
from casus.trends.suppression import K_ANONYMITY
from config.kernel.access import require_permission
from partners.auth import signed_in
from partners.policy import Permission


@require_permission(Permission.TRENDS_VIEW, object_type="trends")
@require_http_methods(["GET"])
def trends_index(request: HttpRequest) -> HttpResponse:
    peil = periods.last_full_month()
    standaard = Selectie.standaard(peil)
    asked = any(name in request.GET for name in ("van", "tot", "per"))
    if asked:
        form = TrendsFilterForm(request.GET, peil=peil)
        selectie = form.selectie if form.is_valid() else None
    else:
        form = TrendsFilterForm(
            initial={"van": _month_text(standaard.van), "tot": _month_text(standaard.tot)},
            peil=peil,
        )
        selectie = standaard
    trends = None
    grafieken: list[Grafiek] = []
    if selectie is not None:
        user = signed_in(request.user)
        trends = statistics.trends_for(user=user, selectie=selectie, peil=peil)
        grafieken = [grafiek_for(tabel) for tabel in trends.tabellen]
        event_record(
            action=AuditAction.TRENDS_VIEWED,
            actor=user,
            object_type="trends",
            object_ref=f"{_month_text(selectie.van)}:{_month_text(selectie.tot)}:{selectie.indeling}",
        )
    return render(
        request,
        "casus/trends/trends.html",
        {
            "form": form,
            "trends": trends,
            "tabellen": list(zip(trends.tabellen, grafieken, strict=True)) if trends else [],
            "peil": peil,
            "k": K_ANONYMITY,
            "is_standaard": not asked,
            "indeling_label": dict(INDELINGEN)[selectie.indeling] if selectie else "",
        },
    )
