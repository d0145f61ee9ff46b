"""AVG pages: retention (the FG's overview and legal holds) and requests of data subjects
(the FG registers, a zorgcoördinator compiles the report). Never case content for the FG."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditAction
from audit.services import event_record
from casus.avg import forms as avg_forms
from casus.avg import retention
from casus.avg import verzoeken as inzage
from casus.models import Casus, InzageStatus, Inzageverzoek, LegalHold, Signaal
from casus.signalen import pseudonym
from casus.signalen.pseudonym import IDENTIFYING_FIELDS
from config.kernel.access import require_permission
from config.kernel.forms import service_errors
from config.kernel.pdf import pdf_response
from partners.auth import signed_in
from partners.models import User
from partners.policy import Permission, has_permission


def _context(request: HttpRequest, form: avg_forms.LegalHoldForm | None = None) -> dict[str, Any]:
    report = retention.purge_expired(dry_run=True)
    event_record(
        action=AuditAction.RETENTION_REPORT,
        actor=signed_in(request.user),
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
        "form": form or avg_forms.LegalHoldForm(),
        "retention_casus_days": settings.RETENTION_CASUS_AFGESLOTEN.days,
        "retention_signaal_days": settings.RETENTION_SIGNAAL_GEEN_VERVOLG.days,
    }


@require_permission(Permission.AVG_REPORTS, object_type="retentie")
@require_http_methods(["GET"])
def retention_overview(request: HttpRequest) -> HttpResponse:
    return render(request, "casus/avg/retention.html", _context(request))


@require_permission(Permission.AVG_REPORTS, object_type="retentie")
@require_POST
def legal_hold_set(request: HttpRequest) -> HttpResponse:
    form = avg_forms.LegalHoldForm(request.POST)
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
                    actor=signed_in(request.user),
                    reden=form.cleaned_data["reden"],
                    casus=casus,
                    signaal=signaal,
                )
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(
                    request, _("De bewaarplicht is ingesteld; de verwijdering wordt overgeslagen.")
                )
                return redirect("avg:retention")
    return render(request, "casus/avg/retention.html", _context(request, form), status=400)


@require_permission(Permission.AVG_REPORTS, object_type="retentie")
@require_POST
def legal_hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    hold = LegalHold.objects.filter(pk=pk, opgeheven_op__isnull=True).first()
    if hold is None:
        raise Http404
    retention.legal_hold_lift(actor=signed_in(request.user), hold=hold)
    messages.success(request, _("De bewaarplicht is opgeheven."))
    return redirect("avg:retention")


def _get(pk: int) -> Inzageverzoek:
    verzoek = (
        Inzageverzoek.objects.select_related("geregistreerd_door", "samengesteld_door")
        .filter(pk=pk)
        .first()
    )
    if verzoek is None:
        raise Http404
    return verzoek


@require_permission(Permission.AVG_REPORTS, Permission.SIGNAAL_TRIAGE, object_type="verzoek")
@require_http_methods(["GET", "POST"])
def verzoek_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    is_fg = has_permission(user, Permission.AVG_REPORTS)
    form = avg_forms.VerzoekRegisterForm(
        request.POST or None, initial={"ontvangen_op": timezone.localdate()}
    )
    if request.method == "POST":
        if not is_fg:
            raise Http404
        if form.is_valid():
            try:
                inzage.verzoek_register(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Het verzoek is geregistreerd; een zorgcoördinator stelt het rapport samen."),
                )
                return redirect("avg:verzoek_list")
    verzoeken = Inzageverzoek.objects.select_related("geregistreerd_door", "samengesteld_door")[
        :200
    ]
    return render(
        request,
        "casus/avg/verzoek_list.html",
        {"verzoeken": verzoeken, "form": form, "is_fg": is_fg},
        status=400 if form.errors else 200,
    )


def _report_context(verzoek: Inzageverzoek, rapport: inzage.Rapport) -> dict[str, Any]:
    return {
        "verzoek": verzoek,
        "rapport": rapport,
        "opgesteld_op": timezone.now(),
        "kandidaten_form": avg_forms.KandidatenForm(
            kandidaten=[k.signaal.pk for k in rapport.kandidaten]
        ),
    }


def _is_compiler(user: User, verzoek: Inzageverzoek) -> bool:
    return has_permission(user, Permission.SIGNAAL_TRIAGE) and verzoek.samengesteld_door_id in (
        None,
        user.pk,
    )


@sensitive_post_parameters(*IDENTIFYING_FIELDS)
@require_permission(Permission.AVG_REPORTS, Permission.SIGNAAL_TRIAGE, object_type="verzoek")
@require_http_methods(["GET", "POST"])
def verzoek_detail(request: HttpRequest, pk: int) -> HttpResponse:
    verzoek = _get(pk)
    user = signed_in(request.user)
    compiler = _is_compiler(user, verzoek)
    context: dict[str, Any] = {
        "verzoek": verzoek,
        "compiler": compiler,
        "form": avg_forms.PersoonForm(),
    }
    status = 200
    if request.method == "POST":
        if not compiler:
            raise Http404
        form = avg_forms.PersoonForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rapport = inzage.verzoek_compile(
                    actor=user,
                    verzoek=verzoek,
                    attributes=pseudonym.IdentifyingAttributes.take_from(dict(data)),
                )
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                verzoek.refresh_from_db()
                context.update(_report_context(verzoek, rapport))
                context["verzoek"] = verzoek
                return render(request, "casus/avg/verzoek_detail.html", context)
        # The identifying data are never shown again, also not after an error.
        context["form"] = avg_forms.PersoonForm(initial={})
        context["form_errors"] = form.errors
        status = 400
    elif compiler and verzoek.status == InzageStatus.SAMENGESTELD:
        context.update(_report_context(verzoek, inzage.rapport_for(actor=user, verzoek=verzoek)))
    return render(request, "casus/avg/verzoek_detail.html", context, status=status)


@require_permission(Permission.AVG_REPORTS, Permission.SIGNAAL_TRIAGE, object_type="verzoek")
@require_POST
def verzoek_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's decision on the weaker matches, each seen with what matched."""
    verzoek = _get(pk)
    user = signed_in(request.user)
    if not _is_compiler(user, verzoek) or verzoek.status != InzageStatus.SAMENGESTELD:
        raise Http404
    form = avg_forms.KandidatenForm(
        request.POST, kandidaten=inzage.candidate_ids(actor=user, verzoek=verzoek)
    )
    if form.is_valid():
        try:
            inzage.verzoek_candidates_decide(
                actor=user, verzoek=verzoek, bevestigd=form.cleaned_data["bevestigd"]
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request,
                _("De mogelijke overeenkomsten zijn beoordeeld; het rapport is bijgewerkt."),
            )
            return redirect("avg:verzoek_detail", pk=verzoek.pk)
    rapport = inzage.rapport_for(actor=user, verzoek=verzoek)
    context: dict[str, Any] = {"compiler": True, **_report_context(verzoek, rapport)}
    context["kandidaten_form"] = form
    return render(request, "casus/avg/verzoek_detail.html", context, status=400)


@require_permission(Permission.AVG_REPORTS, Permission.SIGNAAL_TRIAGE, object_type="verzoek")
@require_http_methods(["GET"])
def verzoek_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    verzoek = _get(pk)
    try:
        rapport = inzage.rapport_for(actor=signed_in(request.user), verzoek=verzoek, pdf=True)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("avg:verzoek_detail", pk=verzoek.pk)
    return pdf_response(
        request,
        "casus/avg/verzoek_rapport_pdf.html",
        _report_context(verzoek, rapport),
        f"inzage-{verzoek.pk}.pdf",
    )


@require_permission(Permission.AVG_REPORTS, Permission.SIGNAAL_TRIAGE, object_type="verzoek")
@require_POST
def verzoek_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    verzoek = _get(pk)
    try:
        signaal_id = int(request.POST.get("signaal", ""))
    except ValueError as exc:
        raise Http404 from exc
    inzage.verzoek_unlink(actor=signed_in(request.user), verzoek=verzoek, signaal_id=signaal_id)
    messages.success(request, _("Het signaal is losgekoppeld van deze persoon."))
    return redirect("avg:verzoek_detail", pk=verzoek.pk)


def _erase_page(
    request: HttpRequest,
    verzoek: Inzageverzoek,
    form: avg_forms.WisBevestigingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The overview of exactly what an erasure removes, with the confirmation bound to it."""
    context: dict[str, Any] = {"verzoek": verzoek, "form": form or avg_forms.WisBevestigingForm()}
    try:
        plan = inzage.erasure_plan(actor=signed_in(request.user), verzoek=verzoek)
    except ValidationError as exc:
        context["refused"] = exc.messages
        return render(request, "casus/avg/verzoek_erase.html", context, status=400)
    context["plan"] = plan
    # The confirmation of the overview shown now; a refused one's errors are shown above it.
    context["form"] = avg_forms.WisBevestigingForm(initial={"bevestiging": plan.digest})
    if form is not None:
        context["form_errors"] = form.errors
    return render(request, "casus/avg/verzoek_erase.html", context, status=status)


@require_permission(Permission.AVG_REPORTS, Permission.SIGNAAL_TRIAGE, object_type="verzoek")
@require_http_methods(["GET"])
def verzoek_erase_preview(request: HttpRequest, pk: int) -> HttpResponse:
    return _erase_page(request, _get(pk))


@require_permission(Permission.AVG_REPORTS, Permission.SIGNAAL_TRIAGE, object_type="verzoek")
@require_POST
def verzoek_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase only with the confirmation of the overview the coordinator saw: without it, or
    when the overview changed since, nothing is removed and the current overview is shown."""
    verzoek = _get(pk)
    form = avg_forms.WisBevestigingForm(request.POST)
    if form.is_valid():
        try:
            kept = inzage.verzoek_erase(
                actor=signed_in(request.user),
                verzoek=verzoek,
                bevestiging=form.cleaned_data["bevestiging"],
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            if kept:
                messages.warning(
                    request,
                    _("Gewist, behalve wat onder een bewaarplicht valt: %(refs)s.")
                    % {"refs": ", ".join(kept)},
                )
            else:
                messages.success(request, _("De gegevens van deze persoon zijn gewist."))
            return redirect("avg:verzoek_detail", pk=verzoek.pk)
    return _erase_page(request, verzoek, form, status=400)


@require_permission(Permission.AVG_REPORTS, Permission.SIGNAAL_TRIAGE, object_type="verzoek")
@require_POST
def verzoek_close(request: HttpRequest, pk: int) -> HttpResponse:
    inzage.verzoek_close(actor=signed_in(request.user), verzoek=_get(pk))
    messages.success(
        request, _("Het verzoek is afgerond; de koppeling met de persoon is niet bewaard.")
    )
    return redirect("avg:verzoek_list")
