"""REST API v1 for casussen, bijdragen and afspraken: the same selectors, services and 404
rules as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from casus import policy
from casus.apibase import (
    CasusKeysetPagination,
    Pagination,
    parse_int,
    require,
    require_content_reader,
)
from casus.casussen import selectors, serializers, services
from casus.models import Afspraak, Casus
from partners.auth import signed_in
from partners.policy import Permission, has_permission

ZOEK_MAX_LENGTH = 20  # the longest referentie (Casus.referentie)


class CasusViewSet(viewsets.GenericViewSet[Casus]):
    """Casussen the user may see. Opening and status changes are for the zorgcoördinator."""

    lookup_field = "referentie"
    lookup_value_regex = r"[A-Za-z0-9\-]+"
    pagination_class = CasusKeysetPagination
    serializer_class = serializers.CasusSerializer
    queryset = Casus.objects.none()  # every read goes through casus.selectors

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        require_content_reader(request)

    @extend_schema(
        responses={
            200: serializers.CasusSerializer(many=True),
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="Een ongeldige zoekterm, positie (`na`/`voor`) of `pagina` anders "
                "dan 1 (de lijst bladert met `next` en `previous`).",
            ),
        },
        parameters=[
            OpenApiParameter("status", str, description="Alleen casussen met deze status."),
            OpenApiParameter("risico", str, description="Alleen casussen met dit risico."),
            OpenApiParameter("zoek", str, description="Zoek op (een deel van) de referentie."),
        ],
    )
    def list(self, request: Request) -> Response:
        user = signed_in(request.user)
        zoek = request.query_params.get("zoek", "")
        if len(zoek) > ZOEK_MAX_LENGTH:
            # Longer than any referentie: a clear 400, not a search the database cannot run
            # (SQLite refuses a LIKE pattern of 50,000 bytes and more with an error).
            raise DrfValidationError(
                {"zoek": [f"Zoek op ten hoogste {ZOEK_MAX_LENGTH} tekens (een referentie)."]}
            )
        queryset = selectors.casus_list_for(
            user=user,
            status=request.query_params.get("status", ""),
            risico=request.query_params.get("risico", ""),
            zoek=zoek,
        )
        page = self.paginate_queryset(queryset) or []
        selectors.casussen_shown(user=user, casussen=list(page))
        return self.get_paginated_response(serializers.CasusSerializer(page, many=True).data)

    @extend_schema(responses=serializers.CasusDetailSerializer)
    def retrieve(self, request: Request, referentie: str) -> Response:
        casus = selectors.casus_get_for(user=signed_in(request.user), referentie=referentie)
        return Response(serializers.CasusDetailSerializer(casus).data)

    @extend_schema(
        request=serializers.CasusOpenSerializer, responses={201: serializers.CasusDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        user = signed_in(request.user)
        if not has_permission(user, Permission.CASUS_MANAGE):
            raise Http404
        serializer = serializers.CasusOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        casus = services.casus_open(actor=user, **serializer.validated_data)
        return Response(
            serializers.CasusDetailSerializer(casus).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.StatusChangeSerializer, responses=serializers.CasusDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, referentie: str) -> Response:
        user = signed_in(request.user)
        casus = selectors.casus_get_for(user=user, referentie=referentie, record_read=False)
        require(policy.can_manage(user))
        serializer = serializers.StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        casus = services.casus_change_status(actor=user, casus=casus, **serializer.validated_data)
        return Response(serializers.CasusDetailSerializer(casus).data)

    @extend_schema(
        request=serializers.RisicoChangeSerializer, responses=serializers.CasusDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def risico(self, request: Request, referentie: str) -> Response:
        user = signed_in(request.user)
        casus = selectors.casus_get_for(user=user, referentie=referentie, record_read=False)
        require(policy.can_manage(user))
        serializer = serializers.RisicoChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        casus = services.casus_change_risk(actor=user, casus=casus, **serializer.validated_data)
        return Response(serializers.CasusDetailSerializer(casus).data)

    @extend_schema(
        request=serializers.AfsluitvoorstelSerializer, responses=serializers.CasusDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="afsluiten-voorstellen")
    def afsluitvoorstel(self, request: Request, referentie: str) -> Response:
        user = signed_in(request.user)
        casus = selectors.casus_get_for(user=user, referentie=referentie, record_read=False)
        require(policy.can_manage(user))
        serializer = serializers.AfsluitvoorstelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        casus = services.casus_propose_closing(actor=user, casus=casus, **serializer.validated_data)
        return Response(serializers.CasusDetailSerializer(casus).data)

    @extend_schema(
        methods=["GET"],
        responses=serializers.BijdrageSerializer(many=True),
        operation_id="casussen_bijdragen_list",
    )
    @extend_schema(
        methods=["POST"],
        request=serializers.BijdrageCreateSerializer,
        responses={201: serializers.BijdrageSerializer},
        operation_id="casussen_bijdragen_create",
    )
    # The bijdragen of one casus are one list, not pages: without the viewset's pagination the
    # schema documents what is returned (a JSON array, no `pagina` parameter).
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def bijdragen(self, request: Request, referentie: str) -> Response:
        user = signed_in(request.user)
        if request.method == "POST":
            casus = selectors.casus_get_for(user=user, referentie=referentie, record_read=False)
            require(policy.can_contribute(user, casus))
            serializer = serializers.BijdrageCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            bijdrage = services.bijdrage_create(
                actor=user, casus=casus, **serializer.validated_data
            )
            return Response(
                serializers.BijdrageSerializer(bijdrage).data, status=status.HTTP_201_CREATED
            )
        casus = selectors.casus_get_for(user=user, referentie=referentie)
        bijdragen = selectors.bijdragen_for(user=user, casus=casus)
        return Response(serializers.BijdrageSerializer(bijdragen, many=True).data)


class AfspraakViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Afspraak]):
    """Afspraken of casussen the user may see; a partner updates its own, with the version."""

    lookup_value_regex = r"[0-9]+"
    pagination_class = Pagination
    serializer_class = serializers.AfspraakSerializer
    queryset = Afspraak.objects.none()  # every read goes through casus.selectors

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        require_content_reader(request)

    def get_queryset(self) -> QuerySet[Afspraak]:
        return selectors.afspraak_list_for(
            user=signed_in(self.request.user),
            open_only=self.request.query_params.get("open") == "1",
        )

    @extend_schema(
        parameters=[OpenApiParameter("open", str, description="`1`: alleen open afspraken.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of afspraken; each one shown is a read event (their text is case content)."""
        page = self.paginate_queryset(self.get_queryset())
        afspraken = list(page) if page is not None else []
        selectors.afspraken_shown(user=signed_in(request.user), afspraken=afspraken)
        data = serializers.AfspraakSerializer(afspraken, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(responses=serializers.AfspraakSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        afspraak = selectors.afspraak_get_for(user=signed_in(request.user), pk=parse_int(pk))
        return Response(serializers.AfspraakSerializer(afspraak).data)

    @extend_schema(
        request=serializers.AfspraakCreateSerializer,
        responses={201: serializers.AfspraakSerializer},
    )
    def create(self, request: Request) -> Response:
        user = signed_in(request.user)
        require(policy.can_create_afspraak(user))
        serializer = serializers.AfspraakCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        casus = selectors.casus_get_for(user=user, referentie=data.pop("casus"), record_read=False)
        afspraak = services.afspraak_create(actor=user, casus=casus, **data)
        return Response(
            serializers.AfspraakSerializer(afspraak).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.AfspraakUpdateSerializer, responses=serializers.AfspraakSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        user = signed_in(request.user)
        afspraak = selectors.afspraak_get_for(user=user, pk=parse_int(pk))
        require(policy.can_update_afspraak(user, afspraak))
        serializer = serializers.AfspraakUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        afspraak = services.afspraak_update(
            actor=user, afspraak=afspraak, **serializer.validated_data
        )
        return Response(serializers.AfspraakSerializer(afspraak).data)
