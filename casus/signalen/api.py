"""REST API v1 for signals: intake (attributes write-only), the own partner's list, the
coordinator's inbox and triage."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from casus import policy
from casus.apibase import Pagination, parse_int, require_content_reader
from casus.casussen import selectors, serializers
from casus.models import Signaal
from casus.signalen import pseudonym
from casus.signalen import selectors as signaal_selectors
from casus.signalen import serializers as signaal_serializers
from casus.signalen import services as intake
from partners.auth import signed_in


class SignaalViewSet(viewsets.GenericViewSet[Signaal]):
    """Signals: every partner reports; its own partner's list; the coordinator triages.

    Identifying attributes are accepted on create only and never returned; match hints
    appear only for zorgcoördinatoren."""

    lookup_value_regex = r"[0-9]+"
    pagination_class = Pagination
    serializer_class = signaal_serializers.SignaalSerializer
    queryset = Signaal.objects.none()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        require_content_reader(request)

    def _context(self, signalen: list[Signaal]) -> dict[str, Any]:
        """The reader and the casussen of these signals it may see: a signal's state and casus
        are shown per casus.policy.signaal_state_visible."""
        user = signed_in(self.request.user)
        return {
            "user": user,
            "visible_casus_ids": signaal_selectors.visible_casus_ids(user=user, signalen=signalen),
        }

    @extend_schema(responses=signaal_serializers.SignaalSerializer(many=True))
    def list(self, request: Request) -> Response:
        user = signed_in(request.user)
        if request.query_params.get("inbox") == "1":
            queryset = signaal_selectors.inbox_for(user=user)
        else:
            queryset = signaal_selectors.signaal_list_for(user=user)
        page = list(
            self.paginate_queryset(queryset.prefetch_related("indicatoren").select_related("lijst"))
            or []
        )
        signaal_selectors.signalen_shown(user=user, signalen=page)
        data = signaal_serializers.SignaalSerializer(
            page, many=True, context=self._context(page)
        ).data
        return self.get_paginated_response(data)

    @extend_schema(responses=signaal_serializers.SignaalDetailSchemaSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        user = signed_in(request.user)
        signaal = signaal_selectors.signaal_get_for(user=user, pk=parse_int(pk))
        context = self._context([signaal])
        if not policy.can_view_matches(user):
            # Absent, not empty: nobody else learns that a person may be known elsewhere.
            return Response(signaal_serializers.SignaalSerializer(signaal, context=context).data)
        context["hints"] = signaal_selectors.match_hints_for(user=user, signaal=signaal)
        return Response(signaal_serializers.SignaalDetailSerializer(signaal, context=context).data)

    @extend_schema(
        request=signaal_serializers.SignaalCreateSerializer,
        responses={201: signaal_serializers.SignaalSerializer},
    )
    def create(self, request: Request) -> Response:
        user = signed_in(request.user)
        if not policy.can_submit_signaal(user):
            raise Http404
        serializer = signaal_serializers.SignaalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        attributes = pseudonym.IdentifyingAttributes.take_from(data)
        signaal = intake.signaal_submit(actor=user, attributes=attributes, **data)
        return Response(
            signaal_serializers.SignaalSerializer(signaal, context=self._context([signaal])).data,
            status=status.HTTP_201_CREATED,
        )

    def _triage_target(self, request: Request, pk: str) -> Signaal:
        user = signed_in(request.user)
        if not policy.can_triage(user):
            raise Http404
        return signaal_selectors.signaal_get_for(user=user, pk=parse_int(pk), record_read=False)

    @extend_schema(
        request=signaal_serializers.SignaalLinkSerializer,
        responses=signaal_serializers.SignaalSerializer,
    )
    @action(detail=True, methods=["post"])
    def koppelen(self, request: Request, pk: str) -> Response:
        user = signed_in(request.user)
        signaal = self._triage_target(request, pk)
        serializer = signaal_serializers.SignaalLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            casus = selectors.casus_get_for(
                user=user,
                referentie=serializer.validated_data["referentie"],
                record_read=False,
            )
        except Http404:
            raise DrfValidationError(
                {"referentie": ["Er is geen casus met deze referentie."]}
            ) from None
        signaal = intake.signaal_link(actor=user, signaal=signaal, casus=casus)
        return Response(
            signaal_serializers.SignaalSerializer(signaal, context=self._context([signaal])).data
        )

    @extend_schema(
        request=signaal_serializers.SignaalOpenCasusSerializer,
        responses={201: serializers.CasusDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="casus-openen")
    def casus_openen(self, request: Request, pk: str) -> Response:
        signaal = self._triage_target(request, pk)
        serializer = signaal_serializers.SignaalOpenCasusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        casus = intake.signaal_open_casus(
            actor=signed_in(request.user), signaal=signaal, **serializer.validated_data
        )
        return Response(
            serializers.CasusDetailSerializer(casus).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=signaal_serializers.SignaalCloseSerializer,
        responses=signaal_serializers.SignaalSerializer,
    )
    @action(detail=True, methods=["post"])
    def afsluiten(self, request: Request, pk: str) -> Response:
        signaal = self._triage_target(request, pk)
        serializer = signaal_serializers.SignaalCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signaal = intake.signaal_close(
            actor=signed_in(request.user), signaal=signaal, reden=serializer.validated_data["reden"]
        )
        return Response(
            signaal_serializers.SignaalSerializer(signaal, context=self._context([signaal])).data
        )
