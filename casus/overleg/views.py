"""Ketenoverleg pages: meetings, the redacted agenda with generation progress, the chair's
edits and meeting mode, minutes (page and PDF, rendered per reader, never stored) and the
calendar invite (date, place and a link only)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditAction
from audit.selectors import chain_head
from audit.services import event_record
from casus import policy
from casus.casussen import forms, selectors
from casus.casussen.services import ConflictError
from casus.models import Afspraak, Overleg, OverlegSerie, OverlegStatus
from casus.overleg import agenda, tasks
from casus.overleg import forms as overleg_forms
from casus.overleg import selectors as overleg_selectors
from casus.overleg import services as overleg
from casus.trends import tables as statistics
from config.kernel import outbox
from config.kernel.access import require_permission
from config.kernel.forms import service_errors
from config.kernel.pdf import pdf_response
from partners.auth import signed_in
from partners.policy import Permission, has_permission


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def overleg_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    meetings = list(overleg_selectors.overleg_list_for(user=user)[:100])
    return render(
        request,
        "casus/overleg/overleg_list.html",
        {"overleggen": meetings, "can_plan": policy.can_plan_meetings(user)},
    )


def _plannable_series(user: Any) -> Any:
    series = OverlegSerie.objects.filter(actief=True).order_by("naam")
    if has_permission(user, Permission.AGENDA_PREPARE):
        return series
    return series.filter(voorzitter=user)


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET", "POST"])
def overleg_plan(request: HttpRequest) -> HttpResponse:
    """The chair (of a series) or the zorgcoördinator plans a meeting; the form proposes the
    series' last meeting plus its cadence."""
    user = signed_in(request.user)
    if not policy.can_plan_meetings(user):
        raise Http404
    series = _plannable_series(user)
    initial: dict[str, Any] = {}
    chosen = series.filter(pk=request.GET.get("serie") or 0).first() if request.GET else None
    if chosen is None and series.count() == 1:
        chosen = series.first()
    if chosen is not None:
        initial["serie"] = chosen
        proposed = overleg.next_meeting_date(chosen)
        if proposed is not None:
            initial["datum"] = timezone.localtime(proposed)
    form = overleg_forms.PlanForm(
        request.POST if request.method == "POST" else None, series=series, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = overleg.overleg_plan(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Het overleg is gepland."))
            return redirect("overleg:detail", pk=item.pk)
    return render(
        request,
        "casus/overleg/overleg_plan.html",
        {"form": form, "has_series": series.exists()},
        status=400 if form.errors else 200,
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET", "POST"])
def serie_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    if not policy.can_plan_meetings(user):
        raise Http404
    form = overleg_forms.SerieForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["partners"] = list(data["partners"])
        try:
            serie = overleg.serie_create(actor=user, **data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, _("De overlegreeks is aangemaakt. Plan nu het eerste overleg.")
            )
            return redirect(f"{reverse('overleg:plan')}?serie={serie.pk}")
    return render(
        request,
        "casus/overleg/serie_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def overleg_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request.user)
    item = overleg_selectors.overleg_get_for(user=user, pk=pk)
    if not (policy.is_chair(user, item) or has_permission(user, Permission.AGENDA_PREPARE)):
        raise Http404
    form = overleg_forms.CancelForm(request.POST)
    if form.is_valid():
        try:
            overleg.overleg_cancel(actor=user, overleg=item, reden=form.cleaned_data["reden"])
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Het overleg is geannuleerd."))
            return redirect("overleg:detail", pk=item.pk)
    context = _detail_context(request, item)
    context["cancel_form"] = form
    return render(request, "casus/overleg/overleg_detail.html", context, status=400)


def _detail_context(request: HttpRequest, item: Overleg) -> dict[str, Any]:
    user = signed_in(request.user)
    chair = policy.is_chair(user, item)
    return {
        "overleg": item,
        "agenda": overleg_selectors.agenda_for(user=user, overleg=item),
        "is_chair": chair,
        "can_generate": policy.can_generate_agenda(user, item)
        and item.status in (OverlegStatus.GEPLAND, OverlegStatus.AGENDA_CONCEPT),
        "concept": item.status == OverlegStatus.AGENDA_CONCEPT,
        "meeting_mode": chair
        and item.status in (OverlegStatus.AGENDA_DEFINITIEF, OverlegStatus.GEHOUDEN),
        "held_form": overleg_forms.HeldForm(
            partners=item.serie.partners.all(),
            initial={"aanwezig": list(item.serie.partners.all())},
        ),
        "agenda_day": tasks.agenda_day(timezone.localdate(item.datum), item.serie.agenda_werkdagen),
        "can_cancel": policy.can_cancel_meeting(user, item),
        "can_plan_next": policy.can_plan_in(user, item.serie),
        "cancel_form": overleg_forms.CancelForm(),
        # The trends section: k-anonymous counts since the previous meeting, for readers who may
        # see trend statistics (analist, voorzitter, zorgcoördinator).
        "trends": statistics.trends_for_agenda(
            since=timezone.localdate(agenda.previous_meeting_date(item)),
            until=timezone.localdate(item.datum),
        )
        if has_permission(user, Permission.TRENDS_VIEW)
        else None,
    }


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def overleg_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    return render(request, "casus/overleg/overleg_detail.html", _detail_context(request, item))


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def overleg_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The generation status fragment, polled by htmx while the job runs."""
    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    return render(request, "casus/overleg/includes/overleg_progress.html", {"overleg": item})


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def overleg_generate(request: HttpRequest, pk: int) -> HttpResponse:
    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    if not policy.can_generate_agenda(signed_in(request.user), item):
        raise Http404
    try:
        overleg.agenda_generation_request(actor=signed_in(request.user), overleg=item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if settings.CELERY_TASK_ALWAYS_EAGER or not outbox.waiting_for_broker(f"agenda:{item.pk}"):
            messages.info(request, _("De agenda wordt gegenereerd."))
        else:
            messages.warning(
                request,
                _(
                    "Uw verzoek is opgeslagen. De achtergronddienst is even niet bereikbaar; de "
                    "agenda wordt gemaakt zodra die weer werkt. U hoeft niets opnieuw te doen."
                ),
            )
    return redirect("overleg:detail", pk=item.pk)


def _chair_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    if not policy.is_chair(signed_in(request.user), item):
        raise Http404
    try:
        action(item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("overleg:detail", pk=item.pk)


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def agenda_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    def remove(item: Overleg) -> None:
        point = overleg_selectors.agendapunt_get_for(
            user=signed_in(request.user), overleg=item, pk=item_pk
        )
        overleg.agendapunt_remove(actor=signed_in(request.user), agendapunt=point)

    return _chair_action(request, pk, remove, _("Het agendapunt is van de agenda gehaald."))


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def agenda_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    def move(item: Overleg) -> None:
        point = overleg_selectors.agendapunt_get_for(
            user=signed_in(request.user), overleg=item, pk=item_pk
        )
        overleg.agendapunt_move(
            actor=signed_in(request.user),
            agendapunt=point,
            richting=request.POST.get("richting", ""),
        )

    return _chair_action(request, pk, move, _("De volgorde is aangepast."))


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def agenda_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _chair_action(
        request,
        pk,
        lambda item: overleg.agenda_finalise(actor=signed_in(request.user), overleg=item),
        _("De agenda is vastgesteld."),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def overleg_held(request: HttpRequest, pk: int) -> HttpResponse:
    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    form = overleg_forms.HeldForm(request.POST, partners=item.serie.partners.all())
    present = list(form.cleaned_data["aanwezig"]) if form.is_valid() else []
    return _chair_action(
        request,
        pk,
        lambda meeting: overleg.overleg_held(
            actor=signed_in(request.user), overleg=meeting, aanwezig=present
        ),
        _("Het overleg is als gehouden vastgelegd."),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET", "POST"])
def agendapunt_meeting(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Meeting mode for the chair: the besluit, new afspraken and outcomes of open ones."""
    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    if not policy.is_chair(signed_in(request.user), item):
        raise Http404
    point = overleg_selectors.agendapunt_get_for(
        user=signed_in(request.user), overleg=item, pk=item_pk
    )
    partners = selectors.actieve_partners_for(casus=point.casus) if point.casus else []
    besluit_form = overleg_forms.BesluitForm(initial={"besluit": point.besluit, "besproken": True})
    afspraak_form = forms.AfspraakForm(partners=partners)
    outcome_error: dict[int, Any] = {}
    status = 200
    if request.method == "POST":
        what = request.POST.get("formulier")
        try:
            if what == "besluit":
                besluit_form = overleg_forms.BesluitForm(request.POST)
                if besluit_form.is_valid():
                    overleg.agendapunt_record(
                        actor=signed_in(request.user), agendapunt=point, **besluit_form.cleaned_data
                    )
                    messages.success(request, _("Het besluit is vastgelegd."))
                    return redirect("overleg:agendapunt", pk=item.pk, item_pk=point.pk)
            elif what == "afspraak":
                afspraak_form = forms.AfspraakForm(request.POST, partners=partners)
                if afspraak_form.is_valid():
                    overleg.meeting_afspraak_create(
                        actor=signed_in(request.user),
                        agendapunt=point,
                        **afspraak_form.cleaned_data,
                    )
                    messages.success(request, _("De afspraak is vastgelegd."))
                    return redirect("overleg:agendapunt", pk=item.pk, item_pk=point.pk)
            elif what == "uitkomst":
                outcome = overleg_forms.OutcomeForm(request.POST)
                if outcome.is_valid():
                    afspraak = Afspraak.objects.filter(
                        pk=outcome.cleaned_data["afspraak"], casus=point.casus
                    ).first()
                    if afspraak is None:
                        raise Http404
                    overleg.meeting_afspraak_outcome(
                        actor=signed_in(request.user),
                        agendapunt=point,
                        afspraak=afspraak,
                        versie=outcome.cleaned_data["versie"],
                        uitkomst=outcome.cleaned_data["uitkomst"],
                        uitkomst_toelichting=outcome.cleaned_data["uitkomst_toelichting"],
                    )
                    messages.success(request, _("De uitkomst is vastgelegd."))
                    return redirect("overleg:agendapunt", pk=item.pk, item_pk=point.pk)
                outcome_error[int(request.POST.get("afspraak") or 0)] = outcome.errors
            status = 400
        except ValidationError as exc:
            target = besluit_form if what == "besluit" else afspraak_form
            if what == "uitkomst":
                outcome_error[int(request.POST.get("afspraak") or 0)] = (
                    exc.message_dict if hasattr(exc, "error_dict") else exc.messages
                )
            else:
                service_errors(target, exc)
            status = 400
        except ConflictError:
            messages.error(
                request,
                _(
                    "Deze afspraak is intussen door iemand anders gewijzigd; de huidige stand staat hieronder."
                ),
            )
            status = 409
    regel = next(
        r
        for r in overleg_selectors.agenda_for(
            user=signed_in(request.user), overleg=item, record=False
        )
        if r.item.pk == point.pk
    )
    event_record(
        action=AuditAction.AGENDA_READ,
        actor=signed_in(request.user),
        object_type="overleg",
        object_ref=f"O{item.pk}",
    )
    overleg_selectors.agenda_casussen_read(
        user=signed_in(request.user), action=AuditAction.AGENDA_READ, regels=[regel]
    )
    return render(
        request,
        "casus/overleg/agendapunt_meeting.html",
        {
            "overleg": item,
            "regel": regel,
            "point": point,
            "besluit_form": besluit_form,
            "afspraak_form": afspraak_form,
            "outcome_errors": outcome_error,
            "uitkomsten": overleg_forms.OutcomeForm.base_fields["uitkomst"].choices,  # type: ignore[attr-defined]
        },
        status=status,
    )


def _minutes_context(request: HttpRequest, item: Overleg, action: AuditAction) -> dict[str, Any]:
    """The minutes for this reader. Reading them is an event under each casus the reader is
    shown in them (the FG's view per casus lists it) and one on the meeting, recorded before the
    chain head is read: the watermark names the head that includes this read."""
    user = signed_in(request.user)
    regels = overleg_selectors.agenda_for(user=user, overleg=item, record=False)
    overleg_selectors.agenda_casussen_read(user=user, action=action, regels=regels)
    event_record(action=action, actor=user, object_type="overleg", object_ref=f"O{item.pk}")
    chair = policy.is_chair(user, item)
    afspraken_by_casus: dict[int, list[Afspraak]] = {}
    # Afspraken made in the meeting, for the casussen this reader sees at agenda level: the
    # casussen it may see, and for the chair every casus on the agenda (PRODUCT.md §5).
    agenda_level = [regel.item.casus_id or 0 for regel in regels if regel.referentie]
    for afspraak in Afspraak.objects.filter(overleg=item, casus_id__in=agenda_level).select_related(
        "partner"
    ):
        afspraken_by_casus.setdefault(afspraak.casus_id, []).append(afspraak)
    # Outcomes of carried-over afspraken recorded in this meeting (issue 16, D13).
    outcomes_by_casus: dict[int, list[Afspraak]] = {}
    for afspraak in (
        Afspraak.objects.filter(uitkomst_overleg=item, casus_id__in=agenda_level)
        .exclude(overleg=item)
        .select_related("partner")
    ):
        outcomes_by_casus.setdefault(afspraak.casus_id, []).append(afspraak)
    for regel in regels:
        regel.nieuwe_afspraken = afspraken_by_casus.get(regel.item.casus_id or 0, [])  # type: ignore[attr-defined]
        regel.uitkomsten = outcomes_by_casus.get(regel.item.casus_id or 0, [])  # type: ignore[attr-defined]
    number, head = chain_head(seal=True)
    return {
        "overleg": item,
        "agenda": regels,
        "aanwezig": item.aanwezigheid.select_related("partner").order_by("partner__name"),
        "reader": user,
        "read_at": timezone.now(),
        "chain_number": number,
        "chain_head": head,
        "is_chair": chair,
    }


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    if item.status not in (OverlegStatus.GEHOUDEN, OverlegStatus.VERSLAG_VASTGESTELD):
        raise Http404
    return render(
        request,
        "casus/overleg/overleg_minutes.html",
        _minutes_context(request, item, AuditAction.MINUTES_READ),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Rendered on demand for this reader (redacted, watermarked); never stored."""
    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    if item.status not in (OverlegStatus.GEHOUDEN, OverlegStatus.VERSLAG_VASTGESTELD):
        raise Http404
    return pdf_response(
        request,
        "casus/overleg/overleg_minutes_pdf.html",
        _minutes_context(request, item, AuditAction.MINUTES_EXPORTED),
        f"verslag-ketenoverleg-{item.pk}.pdf",
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_POST
def minutes_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    return _chair_action(
        request,
        pk,
        lambda item: overleg.minutes_adopt(actor=signed_in(request.user), overleg=item),
        _("Het verslag is vastgesteld."),
    )


@require_permission(Permission.CASUS_READ_CONTENT, object_type="casus")
@require_http_methods(["GET"])
def invite_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """A calendar invite with only date, place and a link: no agenda, no case data."""
    from icalendar import Calendar, Event

    item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=pk)
    calendar = Calendar()
    calendar.add("prodid", "-//Ketenregie//Ketenoverleg//NL")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"ketenoverleg-{item.pk}@ketenregie")
    event.add("summary", _("Ketenoverleg"))
    event.add("dtstart", item.datum)
    event.add("dtend", item.datum + datetime.timedelta(hours=2))
    event.add("dtstamp", timezone.now())
    event.add("location", item.plaats)
    event.add("url", f"{settings.SITE_URL}{reverse('overleg:detail', args=[item.pk])}")
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ketenoverleg-{item.pk}.ics"'
    return response
