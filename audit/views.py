"""The FG's pages over the audit log: overview and chain check, the event log with filters and a
CSV export, access per case reference, activity per user, and the denied-access report; and the
processing register (AVG art. 30).

Only for the privacy officer (Permission.AUDIT_VIEW, the register Permission.AVG_REPORTS);
everyone else gets a 404, and the attempt is recorded. The log holds references, never content,
so these pages cannot show case content. Looking at the log is itself an event (audit.viewed),
and so are the chain check and the export; the register holds no personal data, so viewing it
is not.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import anomalies, checkpoints, register, sealing, selectors
from audit.forms import DEFAULT_PERIOD_DAYS, EventFilterForm, PeriodForm
from audit.models import AuditAction, AuditEvent, Outcome
from audit.services import event_record
from config.kernel.access import require_permission
from partners.policy import Permission

PAGE_SIZE = selectors.EVENT_PAGE_SIZE
# The keyset cursors of the event list: events before ("voor") or after ("na") an event id.
OLDER_PARAM, NEWER_PARAM = "voor", "na"
EXPORT_CHUNK_SIZE = 2000
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


_audit_viewer = require_permission(Permission.AUDIT_VIEW, object_type="auditlog", record_page=True)
_register_viewer = require_permission(
    Permission.AVG_REPORTS, object_type="verwerkingsregister", record_page=True
)


def _viewed(request: HttpRequest, what: str) -> None:
    """One audit.viewed event per page view; ``what`` is a short code of the page."""
    event_record(
        action=AuditAction.AUDIT_VIEWED,
        actor=request.user,
        object_type="auditlog",
        object_ref=what,
    )


def _query_without_page(request: HttpRequest) -> str:
    """The filters, without the page cursors (the page links add their own)."""
    query = request.GET.copy()
    for name in ("pagina", OLDER_PARAM, NEWER_PARAM):
        query.pop(name, None)
    return query.urlencode()


def _cursor(request: HttpRequest, name: str) -> int | None:
    """An event id from the query string; anything else is no cursor (the newest page)."""
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _render_overview(
    request: HttpRequest,
    verification: selectors.ChainReport | None = None,
    verification_event: AuditEvent | None = None,
    checkpoint_error: str = "",
) -> HttpResponse:
    return render(
        request,
        "audit/index.html",
        {
            "overview": selectors.audit_overview_for(user=request.user),
            "checkpoint": selectors.latest_checkpoint_for(user=request.user),
            "checkpoint_error": checkpoint_error,
            "flags": anomalies.anomaly_flags_for(user=request.user),
            "verification": verification,
            "verification_event": verification_event,
            "thresholds": {
                "bulk": anomalies.BULK_READ_THRESHOLD,
                "denials": anomalies.DENIALS_PER_DAY_THRESHOLD,
                "days": anomalies.ANOMALY_PERIOD.days,
            },
        },
    )


@_audit_viewer
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _viewed(request, "overzicht")
    return _render_overview(request)


@_audit_viewer
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Check the whole log now (chain, blocks, checkpoints) after sealing what waits; the check
    is an event (success or failure, the broken entry)."""
    sealing.seal_all()
    report = selectors.chain_report()
    event = event_record(
        action=AuditAction.AUDIT_VERIFIED,
        outcome=Outcome.SUCCESS if report.intact else Outcome.FAILURE,
        actor=request.user,
        object_type="auditlog",
        object_ref=str(report.chain.broken_id or ""),
    )
    return _render_overview(request, verification=report, verification_event=event)


@_audit_viewer
@require_POST
def checkpoint(request: HttpRequest) -> HttpResponse:
    """Set a signed checkpoint now (besides the one every ten minutes), e.g. before an export
    for an investigation: from then on, cutting off or recomputing the chain shows."""
    try:
        made = checkpoints.checkpoint_create()
    except checkpoints.CheckpointConfigurationError:
        return _render_overview(
            request,
            checkpoint_error=_(
                "Er is geen controlepunt gezet: de ondertekeningssleutel (AUDIT_SIGNING_KEY) is "
                "niet ingesteld. Vraag de beheerder deze in te stellen."
            ),
        )
    event_record(
        action=AuditAction.AUDIT_CHECKPOINTED,
        actor=request.user,
        object_type="auditlog",
        object_ref=str(made.seq),
    )
    return _render_overview(request)


def _casus_referentie(filters: EventFilterForm) -> str:
    """The filtered reference, when it is a whole case reference (for a link to its overview)."""
    if not filters.is_bound or filters.errors:
        return ""
    referentie = filters.cleaned_data.get("referentie", "")
    return referentie if selectors.REFERENTIE_PATTERN.fullmatch(referentie) else ""


def _render_event_list(
    request: HttpRequest,
    filters: EventFilterForm,
    page: selectors.EventPage | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "audit/event_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": selectors.event_rows(page.object_list) if page else [],
            "query": _query_without_page(request),
            "older_param": OLDER_PARAM,
            "newer_param": NEWER_PARAM,
            "casus_referentie": _casus_referentie(filters),
        },
        status=status,
    )


@_audit_viewer
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    filters = EventFilterForm(request.GET or None)
    criteria = filters.criteria()
    if criteria is None:  # a search form: the page answers, with the errors next to the fields
        return _render_event_list(request, filters)
    _viewed(request, "gebeurtenissen")
    page = selectors.event_page_for(
        user=request.user,
        criteria=criteria,
        before=_cursor(request, OLDER_PARAM),
        after=_cursor(request, NEWER_PARAM),
        size=PAGE_SIZE,
    )
    return _render_event_list(request, filters, page)


class _Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_safe(value: object) -> str:
    """The cell as text; a leading apostrophe keeps a spreadsheet from running it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _csv_lines(events: Iterator[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8
    yield writer.writerow(
        [
            _("Nummer"),
            _("Tijdstip (Nederlandse tijd)"),
            _("Gebruiker"),
            _("Ketenpartner"),
            _("Functie"),
            _("Actiecode"),
            _("Actie"),
            _("Uitkomst"),
            _("Soort object"),
            _("Referentie"),
            _("Bronadres"),
            _("Correlatie-id"),
            _("Hash"),
        ]
    )
    for event in events:
        row = selectors.EventRow(event)
        yield writer.writerow(
            [
                csv_safe(cell)
                for cell in (
                    event.pk,
                    timezone.localtime(event.occurred_at, selectors.AMSTERDAM).isoformat(),
                    row.username,
                    row.partner_name,
                    row.role_label,
                    event.action,
                    event.get_action_display(),
                    event.get_outcome_display(),
                    event.object_type,
                    event.object_ref,
                    event.source_address or "",
                    str(event.correlation_id or ""),
                    event.hash,
                )
            ]
        )


@_audit_viewer
@require_GET
def event_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered log as CSV, streamed. The export is recorded (and committed) first."""
    filters = EventFilterForm(request.GET or None)
    criteria = filters.criteria()
    if criteria is None:
        return _render_event_list(request, filters, status=400)
    queryset = selectors.event_list_for(user=request.user, criteria=criteria)
    with transaction.atomic():  # its own transaction: committed before the first row is sent
        exported = event_record(
            action=AuditAction.AUDIT_EXPORTED,
            actor=request.user,
            object_type="auditlog",
            object_ref="export",
        )
    # A fixed end: what is recorded while the file streams does not slip into it.
    events = queryset.filter(id__lte=exported.pk).iterator(chunk_size=EXPORT_CHUNK_SIZE)
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    filename = (
        f"auditlog-{timezone.localtime(exported.occurred_at, selectors.AMSTERDAM):%Y%m%d}.csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_audit_viewer
@require_GET
def casus_access(request: HttpRequest, referentie: str) -> HttpResponse:
    if not selectors.REFERENTIE_PATTERN.fullmatch(referentie):
        raise Http404
    _viewed(request, f"casus:{referentie}")
    return render(
        request,
        "audit/casus_access.html",
        {
            "referentie": referentie,
            "summaries": selectors.casus_access_for(user=request.user, referentie=referentie),
        },
    )


@_audit_viewer
@require_GET
def user_activity(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.audit_subject_for(user=request.user, pk=pk)
    filters = PeriodForm(request.GET or None, default_days=DEFAULT_PERIOD_DAYS)
    period = filters.chosen_period()
    activity = None
    if period is not None:
        since, until = selectors.period_bounds(*period)
        _viewed(request, f"gebruiker:{subject.pk}")
        activity = selectors.user_activity_for(
            user=request.user, subject=subject, since=since, until=until
        )
    return render(
        request,
        "audit/user_activity.html",
        {
            "subject": subject,
            "subject_role": selectors.ROLE_LABELS.get(subject.role, subject.role),
            "filters": filters,
            "period": period,
            "activity": activity,
            "recent_limit": selectors.RECENT_EVENTS_LIMIT,
        },
    )


@_audit_viewer
@require_GET
def denied(request: HttpRequest) -> HttpResponse:
    filters = PeriodForm(request.GET or None, default_days=DEFAULT_PERIOD_DAYS)
    period = filters.chosen_period()
    report = None
    if period is not None:
        since, until = selectors.period_bounds(*period)
        _viewed(request, "geweigerd")
        report = selectors.denied_report_for(user=request.user, since=since, until=until)
    return render(
        request, "audit/denied.html", {"filters": filters, "period": period, "report": report}
    )


@_register_viewer
@require_GET
def processing_register(request: HttpRequest) -> HttpResponse:
    """The processing register (AVG art. 30), generated from the settings and the field
    classification of the data model."""
    return render(
        request,
        "audit/register.html",
        {"register": register.processing_register_for(user=request.user)},
    )
