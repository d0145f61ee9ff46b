"""Signal pages: intake for every partner, the reporter's own list, and the coordinator's
triage inbox. Identifying attributes are never shown again, not even after an error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from casus import policy
from casus.casussen import selectors
from casus.models import Signaal
from casus.signalen import forms as signaal_forms
from casus.signalen import pseudonym
from casus.signalen import selectors as signaal_selectors
from casus.signalen import services as intake
from casus.signalen.pseudonym import IDENTIFYING_FIELDS
from config.kernel.access import require_permission
from config.kernel.forms import NlForm, service_errors
from partners.auth import signed_in
from partners.policy import Permission

PAGE_SIZE = 25


def _indicator_choices() -> list[tuple[str, str]]:
    lijst = intake.active_signalenlijst()
    return [(i.code, i.omschrijving) for i in lijst.indicatoren.all()]


@sensitive_post_parameters(*IDENTIFYING_FIELDS)
@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET", "POST"])
def signaal_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    if not policy.can_submit_signaal(user):
        raise Http404
    choices = _indicator_choices()
    had_attributes = False
    if request.method == "POST":
        form = signaal_forms.SignaalForm(request.POST, indicator_choices=choices)
        had_attributes = any(request.POST.get(name) for name in pseudonym.IDENTIFYING_FIELDS)
        if form.is_valid():
            data = dict(form.cleaned_data)
            attributes = pseudonym.IdentifyingAttributes.take_from(data)
            try:
                signaal = intake.signaal_submit(actor=user, attributes=attributes, **data)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Uw signaal is ontvangen. De identificerende gegevens zijn omgezet in pseudoniemen en niet bewaard."
                    ),
                )
                return redirect("signalen:detail", pk=signaal.pk)
        form.forget_identifying_input()
    else:
        form = signaal_forms.SignaalForm(
            indicator_choices=choices,
            initial={"zichtbaarheid": intake.default_visibility_for(user), "sector": "onbekend"},
        )
    return render(
        request,
        "casus/signalen/signaal_new.html",
        {"form": form, "ask_again": had_attributes and form.errors},
        status=400 if form.errors else 200,
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def signaal_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    page = Paginator(signaal_selectors.signaal_list_for(user=user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    signalen = list(page.object_list)
    signaal_selectors.signalen_shown(user=user, signalen=signalen)
    regels = signaal_selectors.signaal_regels(user=user, signalen=signalen)
    return render(request, "casus/signalen/signaal_list.html", {"page": page, "regels": regels})


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    if not policy.can_triage(user):
        raise Http404
    page = Paginator(signaal_selectors.inbox_for(user=user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    signaal_selectors.signalen_shown(user=user, signalen=list(page.object_list))
    return render(request, "casus/signalen/inbox.html", {"page": page})


def _render_detail(
    request: HttpRequest, signaal: Signaal, status: int = 200, **bound: NlForm
) -> HttpResponse:
    user = signed_in(request.user)
    can_triage = policy.can_triage(user) and signaal.status == "nieuw"
    hints = signaal_selectors.match_hints_for(user=user, signaal=signaal)
    context: dict[str, Any] = {
        "signaal": signaal,
        "hints": hints,
        "regel": signaal_selectors.signaal_regels(user=user, signalen=[signaal])[0],
        "can_triage": can_triage,
    }
    if can_triage:
        # The casus of the strongest person match is filled in (D2); the coordinator decides.
        suggested = signaal_selectors.suggested_casus(hints)
        context["link_form"] = bound.get("link_form") or signaal_forms.SignaalLinkForm(
            initial={"referentie": suggested.referentie if suggested else ""}
        )
        context["open_form"] = bound.get("open_form") or signaal_forms.SignaalOpenCasusForm()
        context["close_form"] = bound.get("close_form") or signaal_forms.SignaalCloseForm()
    return render(request, "casus/signalen/signaal_detail.html", context, status=status)


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def signaal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signaal = signaal_selectors.signaal_get_for(user=signed_in(request.user), pk=pk)
    return _render_detail(request, signaal)


def _triage(
    request: HttpRequest,
    pk: int,
    form_class: type[NlForm],
    form_name: str,
    action: Callable[[Signaal, dict[str, Any]], HttpResponse],
    success: str,
) -> HttpResponse:
    user = signed_in(request.user)
    if not policy.can_triage(user):
        raise Http404
    signaal = signaal_selectors.signaal_get_for(user=user, pk=pk, record_read=False)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            target = action(signaal, form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, success)
            return target
    signaal = signaal_selectors.signaal_get_for(user=user, pk=pk)
    return _render_detail(request, signaal, status=400, **{form_name: form})


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def signaal_link(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request.user)

    def link(signaal: Signaal, data: dict[str, Any]) -> HttpResponse:
        try:
            casus = selectors.casus_get_for(
                user=user, referentie=data["referentie"], record_read=False
            )
        except Http404 as exc:
            raise ValidationError(
                {"referentie": [_("Er is geen casus met deze referentie.")]}
            ) from exc
        intake.signaal_link(actor=user, signaal=signaal, casus=casus)
        return redirect("casussen:detail", referentie=casus.referentie)

    return _triage(
        request,
        pk,
        signaal_forms.SignaalLinkForm,
        "link_form",
        link,
        _("Het signaal is aan de casus gekoppeld."),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def signaal_open_casus(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request.user)

    def open_casus(signaal: Signaal, data: dict[str, Any]) -> HttpResponse:
        casus = intake.signaal_open_casus(actor=user, signaal=signaal, **data)
        return redirect("casussen:detail", referentie=casus.referentie)

    return _triage(
        request,
        pk,
        signaal_forms.SignaalOpenCasusForm,
        "open_form",
        open_casus,
        _("Er is een casus geopend."),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def signaal_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request.user)

    def close(signaal: Signaal, data: dict[str, Any]) -> HttpResponse:
        intake.signaal_close(actor=user, signaal=signaal, reden=data["reden"])
        return redirect("signalen:inbox")

    return _triage(
        request,
        pk,
        signaal_forms.SignaalCloseForm,
        "close_form",
        close,
        _("Het signaal is afgesloten zonder vervolg."),
    )
