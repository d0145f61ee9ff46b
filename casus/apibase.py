"""Shared plumbing of the REST API v1: the exception handler, pagination and refusals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404

from rest_framework import status
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from audit import services as audit_services
from casus.casussen import serializers, services
from partners.policy import Permission, has_permission


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Service refusals are 404 (never reveal existence); service validation is a 400 with
    Dutch messages per field; a concurrent edit is a 409 carrying the current state."""
    if isinstance(exc, DjangoPermissionDenied):
        exc = Http404()
    elif isinstance(exc, DjangoValidationError):
        exc = DrfValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, services.ConflictError):
        return Response(
            {
                "detail": "Deze afspraak is intussen door iemand anders gewijzigd.",
                "huidig": serializers.AfspraakSerializer(exc.current).data,
            },
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    page_size = 50
    page_query_param = "pagina"


def require(allowed: bool) -> None:
    """A refused write is a 404 before its input is looked at: the answer never depends on
    whether the input was valid (the service checks again)."""
    if not allowed:
        raise Http404


def require_content_reader(request: Request) -> None:
    if not has_permission(request.user, Permission.CASUS_READ_CONTENT):
        if request.user.is_authenticated:
            audit_services.record_denied(user=request.user, object_type="casus")
        raise Http404


def parse_int(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise Http404 from exc
