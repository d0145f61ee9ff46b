"""REST API v1 for meetings and their agenda, redacted to the reader's rights."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casus.apibase import Pagination, parse_int, require_content_reader
from casus.models import Overleg
from casus.overleg import selectors as overleg_selectors
from casus.overleg import serializers as overleg_serializers
from partners.auth import signed_in


class OverlegViewSet(viewsets.GenericViewSet[Overleg]):
    """Meetings the user takes part in, and their agenda redacted for the reader."""

    lookup_value_regex = r"[0-9]+"
    pagination_class = Pagination
    serializer_class = overleg_serializers.OverlegSerializer
    queryset = Overleg.objects.none()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        require_content_reader(request)

    @extend_schema(responses=overleg_serializers.OverlegSerializer(many=True))
    def list(self, request: Request) -> Response:
        queryset = overleg_selectors.overleg_list_for(user=signed_in(request.user))
        page = self.paginate_queryset(queryset) or []
        return self.get_paginated_response(
            overleg_serializers.OverlegSerializer(page, many=True).data
        )

    @extend_schema(responses=overleg_serializers.OverlegSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        item = overleg_selectors.overleg_get_for(user=signed_in(request.user), pk=parse_int(pk))
        return Response(overleg_serializers.OverlegSerializer(item).data)

    @extend_schema(responses=overleg_serializers.AgendaRegelSerializer(many=True))
    # One list, not pages: without the viewset's pagination the schema documents what is
    # returned (a JSON array, no `pagina` parameter).
    @action(detail=True, methods=["get"], pagination_class=None)
    def agenda(self, request: Request, pk: str) -> Response:
        user = signed_in(request.user)
        item = overleg_selectors.overleg_get_for(user=user, pk=parse_int(pk))
        regels = overleg_selectors.agenda_for(user=user, overleg=item)
        # What ``many=True`` builds, spelled out: the stubs type a plain Serializer's instance
        # as one item, never a list of them.
        lines = serializers.ListSerializer(
            regels, child=overleg_serializers.AgendaRegelSerializer()
        )
        return Response(lines.data)
