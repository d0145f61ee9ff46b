"""Pages for requests of data subjects: the FG registers and follows them (metadata only);
the zorgcoördinator compiles the report for the person (page and PDF, never stored)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from casus import forms, inzage, pseudonym
from casus.models import Inzageverzoek
from casus.pdf import pdf_response
from casus.selectors import record_denied
from casus.views import _service_errors
from partners.policy import Permission, has_permission


def _fg_or_coordinator(view: Any) -> Any:
    @login_required
    @never_cache
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (
            has_permission(user, Permission.AVG_REPORTS)
            or has_permission(user, Permission.SIGNAAL_TRIAGE)
        ):
            record_denied(user=user, object_type="verzoek")
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            record_denied(user=user, object_type="verzoek")
            raise Http404 from exc

    wrapped.__name__ = view.__name__
    return wrapped


def _get(pk: int) -> Inzageverzoek:
    verzoek = (
        Inzageverzoek.objects.select_related("geregistreerd_door", "samengesteld_door")
        .filter(pk=pk)
        .first()
    )
    if verzoek is None:
        raise Http404
    return verzoek


@_fg_or_coordinator
@require_http_methods(["GET", "POST"])
def verzoek_list(request: HttpRequest) -> HttpResponse:
    is_fg = has_permission(request.user, Permission.AVG_REPORTS)
    form = forms.VerzoekRegisterForm(
        request.POST or None, initial={"ontvangen_op": timezone.localdate()}
    )
    if request.method == "POST":
        if not is_fg:
            raise Http404
        if form.is_valid():
            try:
                inzage.verzoek_register(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Het verzoek is geregistreerd; een zorgcoördinator stelt het rapport samen."),
                )
                return redirect("verzoeken:list")
    verzoeken = Inzageverzoek.objects.select_related("geregistreerd_door", "samengesteld_door")[
        :200
    ]
    return render(
        request,
        "casus/verzoek_list.html",
        {"verzoeken": verzoeken, "form": form, "is_fg": is_fg},
        status=400 if form.errors else 200,
    )


def _report_context(verzoek: Inzageverzoek, rapport: inzage.Rapport) -> dict[str, Any]:
    return {"verzoek": verzoek, "rapport": rapport, "opgesteld_op": timezone.now()}


@_fg_or_coordinator
@require_http_methods(["GET", "POST"])
def verzoek_detail(request: HttpRequest, pk: int) -> HttpResponse:
    verzoek = _get(pk)
    user: Any = request.user
    compiler = has_permission(user, Permission.SIGNAAL_TRIAGE) and verzoek.samengesteld_door_id in (
        None,
        user.pk,
    )
    context: dict[str, Any] = {
        "verzoek": verzoek,
        "compiler": compiler,
        "form": forms.PersoonForm(),
    }
    status = 200
    if request.method == "POST":
        if not compiler:
            raise Http404
        form = forms.PersoonForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rapport = inzage.verzoek_compile(
                    actor=user,
                    verzoek=verzoek,
                    attributes=pseudonym.IdentifyingAttributes(
                        voornamen=data["voornamen"],
                        achternaam=data["achternaam"],
                        geboortedatum=data["geboortedatum"],
                        geboortejaar=data["geboortejaar"],
                        land=data["land"],
                        werknaam=data["werknaam"],
                        telefoon=data["telefoon"],
                    ),
                )
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                verzoek.refresh_from_db()
                context.update(_report_context(verzoek, rapport))
                context["verzoek"] = verzoek
                return render(request, "casus/verzoek_detail.html", context)
        # The identifying data are never shown again, also not after an error.
        context["form"] = forms.PersoonForm(initial={})
        context["form_errors"] = form.errors
        status = 400
    elif compiler and verzoek.status == "samengesteld":
        context.update(_report_context(verzoek, inzage.rapport_for(actor=user, verzoek=verzoek)))
    return render(request, "casus/verzoek_detail.html", context, status=status)


@_fg_or_coordinator
@require_http_methods(["GET"])
def verzoek_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    verzoek = _get(pk)
    rapport = inzage.rapport_for(actor=request.user, verzoek=verzoek)
    return pdf_response(
        request,
        "casus/verzoek_rapport_pdf.html",
        _report_context(verzoek, rapport),
        f"inzage-{verzoek.pk}.pdf",
    )


@_fg_or_coordinator
@require_POST
def verzoek_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    verzoek = _get(pk)
    try:
        signaal_id = int(request.POST.get("signaal", ""))
    except ValueError as exc:
        raise Http404 from exc
    inzage.verzoek_unlink(actor=request.user, verzoek=verzoek, signaal_id=signaal_id)
    messages.success(request, _("Het signaal is losgekoppeld van deze persoon."))
    return redirect("verzoeken:detail", pk=verzoek.pk)


@_fg_or_coordinator
@require_POST
def verzoek_erase(request: HttpRequest, pk: int) -> HttpResponse:
    verzoek = _get(pk)
    kept = inzage.verzoek_erase(actor=request.user, verzoek=verzoek)
    if kept:
        messages.warning(
            request,
            _("Gewist, behalve wat onder een bewaarplicht valt: %(refs)s.")
            % {"refs": ", ".join(kept)},
        )
    else:
        messages.success(request, _("De gegevens van deze persoon zijn gewist."))
    return redirect("verzoeken:detail", pk=verzoek.pk)


@_fg_or_coordinator
@require_POST
def verzoek_close(request: HttpRequest, pk: int) -> HttpResponse:
    inzage.verzoek_close(actor=request.user, verzoek=_get(pk))
    messages.success(
        request, _("Het verzoek is afgerond; de koppeling met de persoon is niet bewaard.")
    )
    return redirect("verzoeken:list")
