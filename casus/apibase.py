"""Shared plumbing of the REST API v1: the exception handler, pagination and refusals."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from audit import services as audit_services
from casus.casussen import selectors, serializers, services
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


class CasusKeysetPagination(BasePagination):
    """Pages of the casus list by position, not by number (issue 17): ``na`` (after this row)
    and ``voor`` (before it) take the cursor from ``next``/``previous``. A deep page costs what
    the first does. The response keeps the keys of the numbered pages (``count``, ``next``,
    ``previous``, ``results``); ``count`` counts up to 1,000 and is null beyond that."""

    page_size = 50
    cursor_params = ("na", "voor")

    def paginate_queryset(
        self, queryset: QuerySet[Any, Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        if not isinstance(queryset, QuerySet):  # only for casus_list_for's queryset
            raise TypeError("CasusKeysetPagination pages a queryset of casussen")
        self.request = request
        params = request.query_params
        if params.get("pagina", "1") != "1":
            raise DrfValidationError(
                {
                    "pagina": [
                        _(
                            "Bladeren op paginanummer kan niet meer: volg de link in `next` "
                            "(parameter `na`)."
                        )
                    ]
                }
            )
        cursors = {}
        for name in self.cursor_params:
            value = params.get(name, "")
            cursors[name] = selectors.parse_casus_cursor(value)
            if value and cursors[name] is None:
                raise DrfValidationError(
                    {name: [_("Deze positie in de lijst is ongeldig; begin bij de eerste pagina.")]}
                )
        self.page = selectors.casus_page(
            queryset, size=self.page_size, na=cursors["na"], voor=cursors["voor"]
        )
        return self.page.casussen

    def _link(self, name: str, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        for param in (*self.cursor_params, "pagina"):
            url = remove_query_param(url, param)
        return replace_query_param(url, name, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": None if self.page.count_capped else self.page.count,
                "next": self._link("na", self.page.next_cursor),
                "previous": self._link("voor", self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "maximum": selectors.COUNT_CAP,
                    "description": "Het aantal casussen in de lijst met deze filters, als het "
                    "er ten hoogste 1.000 zijn; null als het er meer zijn (de lijst telt niet "
                    "verder).",
                },
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "De volgende pagina (met `na`); null op de laatste.",
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "De vorige pagina (met `voor`); null op de eerste.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "na",
                "required": False,
                "in": "query",
                "description": "De pagina na deze positie: neem de link uit `next`.",
                "schema": {"type": "string"},
            },
            {
                "name": "voor",
                "required": False,
                "in": "query",
                "description": "De pagina voor deze positie: neem de link uit `previous`.",
                "schema": {"type": "string"},
            },
        ]


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


MAX_JSON_DEPTH = 20  # far deeper than any request body of this API
MAX_JSON_BYTES = 256 * 1024


class LimitedJSONParser(JSONParser):
    """JSON request bodies within a size and a nesting depth; anything else is a clear 400
    (a body nested thousands of levels deep would otherwise exhaust the parser's recursion)."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read(MAX_JSON_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_JSON_BYTES:
            raise ParseError("De gegevens zijn te groot (ten hoogste 256 kB).")
        text = raw.decode((parser_context or {}).get("encoding") or "utf-8", errors="replace")
        # Count the brackets before parsing: json.loads itself recurses per level.
        depth = level = 0
        in_string = escaped = False
        for char in text:
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "[{":
                level += 1
                depth = max(depth, level)
            elif char in "]}":
                level -= 1
            if depth > MAX_JSON_DEPTH:
                raise ParseError(
                    f"De gegevens zijn te diep genest (ten hoogste {MAX_JSON_DEPTH} niveaus)."
                )
        try:
            return json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise ParseError("De gegevens zijn geen geldige JSON.") from exc
