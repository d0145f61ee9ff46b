"""Casus pages: thin views over casus.selectors (reads) and casus.services (writes).

Everything a user may not see is a 404; a rejected write re-renders the page with the user's
input and a Dutch error next to the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casus import policy
from casus.casussen import forms, selectors, services
from casus.models import Casus, Signaal
from casus.signalen import selectors as signaal_selectors
from casus.signalen import services as signal_services
from config.kernel.access import require_permission
from config.kernel.forms import NlForm, service_errors
from partners.auth import signed_in
from partners.policy import Permission

PAGE_SIZE = 25


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def casus_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    filters = forms.CasusFilterForm(request.GET or None)
    # The valid filters apply even when another one is invalid (shown with its error): an
    # invalid search must never widen the list to everything.
    filters.is_valid()
    cleaned = getattr(filters, "cleaned_data", {})
    criteria: dict[str, Any] = {
        "status": cleaned.get("status", ""),
        "risico": cleaned.get("risico", ""),
        "eigen_betrokkenheid": cleaned.get("eigen", False),
        "zoek": cleaned.get("zoek", ""),
    }
    queryset = selectors.casus_list_for(user=user, **criteria)
    if "zoek" in filters.errors:
        # Longer than any referentie: nothing can match, and the raw text (which may be too long
        # for the database's LIKE) never reaches a query.
        queryset = queryset.none()
    # Keyset pages (``na``: after this row, ``voor``: before it): a deep page costs what the
    # first one does, and the count stops at COUNT_CAP (issue 17). An unreadable cursor, or an
    # old ``pagina`` bookmark, shows the first page.
    page = selectors.casus_page(
        queryset,
        size=PAGE_SIZE,
        na=selectors.parse_casus_cursor(request.GET.get("na", "")),
        voor=selectors.parse_casus_cursor(request.GET.get("voor", "")),
    )
    selectors.casussen_shown(user=user, casussen=page.casussen)
    query = request.GET.copy()
    for key in ("na", "voor", "pagina"):
        query.pop(key, None)
    return render(
        request,
        "casus/casussen/casus_list.html",
        {
            "filters": filters,
            "page": page,
            "page_size": PAGE_SIZE,
            "count_cap": selectors.COUNT_CAP,
            "query": query.urlencode(),
            "can_open": policy.can_manage(user),
        },
    )


def _detail_context(request: HttpRequest, casus: Casus, **bound: Any) -> dict[str, Any]:
    user = signed_in(request.user)
    partners = selectors.actieve_partners_for(casus=casus)
    afspraken = list(selectors.afspraken_for(casus=casus))
    context: dict[str, Any] = {
        "casus": casus,
        "timeline": selectors.timeline_for(user=user, casus=casus),
        "betrokken_partners": partners,
        "afspraken": afspraken,
        "updatable_afspraken": {a.pk for a in afspraken if policy.can_update_afspraak(user, a)},
        "can_manage": policy.can_manage(user),
        "can_contribute": policy.can_contribute(user, casus),
        "can_request_agenda": policy.can_request_agenda(user, casus),
        "allowed_visibilities": policy.allowed_visibilities(user, casus),
        "zichtbaarheid_uitleg": forms.ZICHTBAARHEID_UITLEG,
        # Bound forms of the small POST-only forms, to show their errors after a refusal.
        "zichtbaarheid_form": bound.get("zichtbaarheid_form"),
        "betrokkenheid_remove_form": bound.get("betrokkenheid_remove_form"),
    }
    context["bijdrage_form"] = bound.get("bijdrage_form") or forms.BijdrageForm(
        initial={"zichtbaarheid": policy.default_visibility(user.partner), "categorie": "algemeen"}
    )
    context["agendering_form"] = bound.get("agendering_form") or forms.AgenderingForm()
    if context["can_manage"]:
        context["status_form"] = bound.get("status_form") or forms.StatusForm(
            initial={"status": casus.status}
        )
        context["risico_form"] = bound.get("risico_form") or forms.RisicoForm()
        context["gegevens_form"] = bound.get("gegevens_form") or forms.GegevensForm(
            initial={
                "sector": casus.sector,
                "gemeente": casus.gemeente,
                "veilig_om_te_bellen": casus.veilig_om_te_bellen,
                "tolk_nodig": casus.tolk_nodig,
            }
        )
        context["afsluitvoorstel_form"] = bound.get("afsluitvoorstel_form")
        context["risicowijzigingen"] = list(
            casus.risicowijzigingen.select_related("door").order_by("-op", "-id")
        )
        context["betrokkenheid_form"] = bound.get("betrokkenheid_form") or forms.BetrokkenheidForm(
            initial={"grondslag": casus.grondslag}
        )
        context["afspraak_form"] = bound.get("afspraak_form") or forms.AfspraakForm(
            partners=partners
        )
    return context


def _render_detail(
    request: HttpRequest, casus: Casus, status: int = 200, **bound: Any
) -> HttpResponse:
    return render(
        request,
        "casus/casussen/casus_detail.html",
        _detail_context(request, casus, **bound),
        status=status,
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def casus_detail(request: HttpRequest, referentie: str) -> HttpResponse:
    casus = selectors.casus_get_for(user=signed_in(request.user), referentie=referentie)
    return _render_detail(request, casus)


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET", "POST"])
def casus_open(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    if not policy.can_manage(user):
        raise Http404
    form = forms.CasusOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            casus = services.casus_open(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Casus %(ref)s is geopend.") % {"ref": casus.referentie})
            return redirect("casussen:detail", referentie=casus.referentie)
    return render(
        request,
        "casus/casussen/casus_open.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _post_on_casus(
    request: HttpRequest,
    referentie: str,
    form_class: type[NlForm],
    form_name: str,
    action: Any,
    success: str,
    form_kwargs: Any = None,
    *,
    allowed: Callable[[Casus], bool],
) -> HttpResponse:
    """Shared shape of the POST-only forms on the detail page.

    ``allowed`` is checked before the input is looked at: a refused write is a 404 whether or
    not its input was valid (the service checks again)."""
    user = signed_in(request.user)
    casus = selectors.casus_get_for(user=user, referentie=referentie, record_read=False)
    if not allowed(casus):
        raise Http404
    form = form_class(request.POST, **(form_kwargs(casus) if form_kwargs else {}))
    if form.is_valid():
        try:
            action(casus, form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("casussen:detail", referentie=casus.referentie)
    casus = selectors.casus_get_for(user=user, referentie=referentie)
    return _render_detail(request, casus, status=400, **{form_name: form})


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def casus_status(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.StatusForm,
        "status_form",
        lambda casus, data: services.casus_change_status(actor=user, casus=casus, **data),
        _("De status is gewijzigd."),
        allowed=lambda casus: policy.can_manage(user),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def casus_risico(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.RisicoForm,
        "risico_form",
        lambda casus, data: services.casus_change_risk(actor=user, casus=casus, **data),
        _("Het risiconiveau is gewijzigd."),
        allowed=lambda casus: policy.can_manage(user),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def casus_gegevens(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.GegevensForm,
        "gegevens_form",
        lambda casus, data: services.casus_update_facts(actor=user, casus=casus, **data),
        _("De gegevens van de casus zijn gewijzigd."),
        allowed=lambda casus: policy.can_manage(user),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def casus_afsluitvoorstel(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.AfsluitvoorstelForm,
        "afsluitvoorstel_form",
        lambda casus, data: services.casus_propose_closing(actor=user, casus=casus, **data),
        _("Het voorstel is vastgelegd; het komt op de agenda van het volgende ketenoverleg."),
        allowed=lambda casus: policy.can_manage(user),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def betrokkenheid_add(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.BetrokkenheidForm,
        "betrokkenheid_form",
        lambda casus, data: services.betrokkenheid_add(actor=user, casus=casus, **data),
        _("De partner is betrokken en heeft nu toegang."),
        allowed=lambda casus: policy.can_manage(user),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def betrokkenheid_remove(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.BetrokkenheidRemoveForm,
        "betrokkenheid_remove_form",
        lambda casus, data: services.betrokkenheid_remove(actor=user, casus=casus, **data),
        _("De betrokkenheid is beëindigd; de partner heeft geen toegang meer."),
        allowed=lambda casus: policy.can_manage(user),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def bijdrage_create(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.BijdrageForm,
        "bijdrage_form",
        lambda casus, data: services.bijdrage_create(actor=user, casus=casus, **data),
        _("Uw bijdrage is toegevoegd."),
        allowed=lambda casus: policy.can_contribute(user, casus),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def bijdrage_visibility(request: HttpRequest, referentie: str, pk: int) -> HttpResponse:
    user = signed_in(request.user)

    def change(casus: Casus, data: dict[str, Any]) -> None:
        bijdrage = selectors.bijdrage_get_for(user=user, casus=casus, pk=pk)
        services.bijdrage_change_visibility(actor=user, bijdrage=bijdrage, **data)

    def allowed(casus: Casus) -> bool:
        bijdrage = selectors.bijdrage_get_for(user=user, casus=casus, pk=pk)
        return policy.can_change_bijdrage(user, bijdrage)

    return _post_on_casus(
        request,
        referentie,
        forms.ZichtbaarheidForm,
        "zichtbaarheid_form",
        change,
        _("De zichtbaarheid is gewijzigd."),
        allowed=allowed,
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def signaal_visibility(request: HttpRequest, referentie: str, pk: int) -> HttpResponse:
    """The author of a signal linked to this casus changes who reads it (its own service: a
    signal's id never reaches the bijdrage endpoint)."""
    user = signed_in(request.user)

    def signaal_in(casus: Casus) -> Signaal:
        signaal = signaal_selectors.signaal_get_for(user=user, pk=pk, record_read=False)
        if signaal.casus_id != casus.pk:
            raise Http404
        return signaal

    def change(casus: Casus, data: dict[str, Any]) -> None:
        signal_services.signaal_change_visibility(actor=user, signaal=signaal_in(casus), **data)

    def allowed(casus: Casus) -> bool:
        return policy.can_change_signaal_visibility(user, signaal_in(casus))

    return _post_on_casus(
        request,
        referentie,
        forms.ZichtbaarheidForm,
        "zichtbaarheid_form",
        change,
        _("De zichtbaarheid is gewijzigd."),
        allowed=allowed,
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def afspraak_create(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.AfspraakForm,
        "afspraak_form",
        lambda casus, data: services.afspraak_create(actor=user, casus=casus, **data),
        _("De afspraak is vastgelegd."),
        form_kwargs=lambda casus: {"partners": selectors.actieve_partners_for(casus=casus)},
        allowed=lambda casus: policy.can_create_afspraak(user),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def agendering_request(request: HttpRequest, referentie: str) -> HttpResponse:
    user = signed_in(request.user)
    return _post_on_casus(
        request,
        referentie,
        forms.AgenderingForm,
        "agendering_form",
        lambda casus, data: services.agendering_request(actor=user, casus=casus, **data),
        _("De casus is aangemeld voor het volgende ketenoverleg."),
        allowed=lambda casus: policy.can_request_agenda(user, casus),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET", "POST"])
def afspraak_update(request: HttpRequest, referentie: str, pk: int) -> HttpResponse:
    user = signed_in(request.user)
    casus = selectors.casus_get_for(user=user, referentie=referentie, record_read=False)
    afspraak = selectors.afspraak_get_for(user=user, casus=casus, pk=pk)
    if not policy.can_update_afspraak(user, afspraak):
        raise Http404
    conflict = None
    if request.method == "POST":
        form = forms.AfspraakUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.afspraak_update(actor=user, afspraak=afspraak, **form.cleaned_data)
            except services.ConflictError as exc:
                conflict = exc.current
                # Keep the user's input, but base the next attempt on the current version.
                data = request.POST.copy()
                data["versie"] = str(conflict.versie)
                form = forms.AfspraakUpdateForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Iemand anders heeft deze afspraak gewijzigd nadat u de pagina opende. "
                        "Hieronder staat de huidige stand; uw invoer is bewaard. Controleer en sla opnieuw op."
                    ),
                )
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("De afspraak is bijgewerkt."))
                return redirect("casussen:detail", referentie=casus.referentie)
    else:
        form = forms.AfspraakUpdateForm(
            initial={
                "uitkomst": afspraak.uitkomst,
                "uitkomst_toelichting": afspraak.uitkomst_toelichting,
                "deadline": afspraak.deadline,
                "versie": afspraak.versie,
            }
        )
    return render(
        request,
        "casus/casussen/afspraak_update.html",
        {"casus": casus, "afspraak": afspraak, "form": form, "conflict": conflict},
        status=409 if conflict else (400 if form.errors else 200),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def toestemming_intrekken(request: HttpRequest, referentie: str) -> HttpResponse:
    """The person withdrew consent: record it, close the casus; the next purge removes it."""
    from casus.avg import retention

    user = signed_in(request.user)
    casus = selectors.casus_get_for(user=user, referentie=referentie, record_read=False)
    if not policy.can_manage(user):
        raise Http404
    try:
        retention.consent_withdraw(actor=user, casus=casus)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("casussen:detail", referentie=casus.referentie)
    messages.success(
        request,
        _("De intrekking is vastgelegd en de casus is gesloten; de gegevens worden verwijderd."),
    )
    return redirect("casussen:list")
