"""REST API v1 for case content: the same selectors, services and 404 rules as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from casus import intake, overleg_selectors, policy, pseudonym, selectors, serializers, services
from casus.forms import IDENTIFYING_FIELDS
from casus.models import Casus, Overleg, Signaal
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


def _require(allowed: bool) -> None:
    """A refused write is a 404 before its input is looked at: the answer never depends on
    whether the input was valid (the service checks again)."""
    if not allowed:
        raise Http404


def _require_content_reader(request: Request) -> None:
    if not has_permission(request.user, Permission.CASUS_READ_CONTENT):
        if request.user.is_authenticated:
            selectors.record_denied(user=request.user, object_type="casus")
        raise Http404


class CasusViewSet(viewsets.GenericViewSet):
    """Casussen the user may see. Opening and status changes are for the zorgcoördinator."""

    lookup_field = "referentie"
    lookup_value_regex = r"[A-Za-z0-9\-]+"
    pagination_class = Pagination
    serializer_class = serializers.CasusSerializer
    queryset = Casus.objects.none()  # every read goes through casus.selectors

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _require_content_reader(request)

    @extend_schema(responses=serializers.CasusSerializer(many=True))
    def list(self, request: Request) -> Response:
        queryset = selectors.casus_list_for(
            user=request.user,
            status=request.query_params.get("status", ""),
            risico=request.query_params.get("risico", ""),
            zoek=request.query_params.get("zoek", ""),
        )
        page = self.paginate_queryset(queryset) or []
        selectors.casussen_shown(user=request.user, casussen=list(page))
        return self.get_paginated_response(serializers.CasusSerializer(page, many=True).data)

    @extend_schema(responses=serializers.CasusDetailSerializer)
    def retrieve(self, request: Request, referentie: str) -> Response:
        casus = selectors.casus_get_for(user=request.user, referentie=referentie)
        return Response(serializers.CasusDetailSerializer(casus).data)

    @extend_schema(
        request=serializers.CasusOpenSerializer, responses={201: serializers.CasusDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        if not has_permission(request.user, Permission.CASUS_MANAGE):
            raise Http404
        serializer = serializers.CasusOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        casus = services.casus_open(actor=request.user, **serializer.validated_data)
        return Response(
            serializers.CasusDetailSerializer(casus).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.StatusChangeSerializer, responses=serializers.CasusDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, referentie: str) -> Response:
        casus = selectors.casus_get_for(user=request.user, referentie=referentie, record_read=False)
        _require(policy.can_manage(request.user))
        serializer = serializers.StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        casus = services.casus_change_status(
            actor=request.user, casus=casus, **serializer.validated_data
        )
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
    @action(detail=True, methods=["get", "post"])
    def bijdragen(self, request: Request, referentie: str) -> Response:
        if request.method == "POST":
            casus = selectors.casus_get_for(
                user=request.user, referentie=referentie, record_read=False
            )
            _require(policy.can_contribute(request.user, casus))
            serializer = serializers.BijdrageCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            bijdrage = services.bijdrage_create(
                actor=request.user, casus=casus, **serializer.validated_data
            )
            return Response(
                serializers.BijdrageSerializer(bijdrage).data, status=status.HTTP_201_CREATED
            )
        casus = selectors.casus_get_for(user=request.user, referentie=referentie)
        bijdragen = selectors.bijdragen_for(user=request.user, casus=casus)
        return Response(serializers.BijdrageSerializer(bijdragen, many=True).data)


class AfspraakViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Afspraken of casussen the user may see; a partner updates its own, with the version."""

    lookup_value_regex = r"[0-9]+"
    pagination_class = Pagination
    serializer_class = serializers.AfspraakSerializer
    queryset = Casus.objects.none()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _require_content_reader(request)

    def get_queryset(self) -> Any:
        return selectors.afspraak_list_for(
            user=self.request.user, open_only=self.request.query_params.get("open") == "1"
        )

    @extend_schema(responses=serializers.AfspraakSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        afspraak = selectors.afspraak_get_for(user=request.user, pk=_int(pk))
        return Response(serializers.AfspraakSerializer(afspraak).data)

    @extend_schema(
        request=serializers.AfspraakCreateSerializer,
        responses={201: serializers.AfspraakSerializer},
    )
    def create(self, request: Request) -> Response:
        _require(policy.can_create_afspraak(request.user))
        serializer = serializers.AfspraakCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        casus = selectors.casus_get_for(
            user=request.user, referentie=data.pop("casus"), record_read=False
        )
        afspraak = services.afspraak_create(actor=request.user, casus=casus, **data)
        return Response(
            serializers.AfspraakSerializer(afspraak).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.AfspraakUpdateSerializer, responses=serializers.AfspraakSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        afspraak = selectors.afspraak_get_for(user=request.user, pk=_int(pk))
        _require(policy.can_update_afspraak(request.user, afspraak))
        serializer = serializers.AfspraakUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        afspraak = services.afspraak_update(
            actor=request.user, afspraak=afspraak, **serializer.validated_data
        )
        return Response(serializers.AfspraakSerializer(afspraak).data)


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise Http404 from exc


class SignaalViewSet(viewsets.GenericViewSet):
    """Signals: every partner reports; its own partner's list; the coordinator triages.

    Identifying attributes are accepted on create only and never returned; match hints
    appear only for zorgcoördinatoren."""

    lookup_value_regex = r"[0-9]+"
    pagination_class = Pagination
    serializer_class = serializers.SignaalSerializer
    queryset = Signaal.objects.none()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _require_content_reader(request)

    def _context(self, signalen: list[Signaal]) -> dict[str, Any]:
        casus_ids = {s.casus_id for s in signalen if s.casus_id}
        visible = set(
            policy.visible_casussen(self.request.user)
            .filter(pk__in=casus_ids)
            .values_list("pk", flat=True)
        )
        return {"visible_casus_ids": visible}

    @extend_schema(responses=serializers.SignaalSerializer(many=True))
    def list(self, request: Request) -> Response:
        if request.query_params.get("inbox") == "1":
            queryset = selectors.inbox_for(user=request.user)
        else:
            queryset = selectors.signaal_list_for(user=request.user)
        page = list(
            self.paginate_queryset(queryset.prefetch_related("indicatoren").select_related("lijst"))
            or []
        )
        selectors.signalen_shown(user=request.user, signalen=page)
        data = serializers.SignaalSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    @extend_schema(responses=serializers.SignaalDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        signaal = selectors.signaal_get_for(user=request.user, pk=_int(pk))
        context = self._context([signaal])
        if not policy.can_view_matches(request.user):
            # Absent, not empty: nobody else learns that a person may be known elsewhere.
            return Response(serializers.SignaalSerializer(signaal, context=context).data)
        context["hints"] = selectors.match_hints_for(user=request.user, signaal=signaal)
        return Response(serializers.SignaalDetailSerializer(signaal, context=context).data)

    @extend_schema(
        request=serializers.SignaalCreateSerializer, responses={201: serializers.SignaalSerializer}
    )
    def create(self, request: Request) -> Response:
        if not policy.can_submit_signaal(request.user):
            raise Http404
        serializer = serializers.SignaalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        attributes = pseudonym.IdentifyingAttributes(
            **{name: data.pop(name) for name in IDENTIFYING_FIELDS if name in data}
        )
        signaal = intake.signaal_submit(actor=request.user, attributes=attributes, **data)
        return Response(
            serializers.SignaalSerializer(signaal, context=self._context([signaal])).data,
            status=status.HTTP_201_CREATED,
        )

    def _triage_target(self, request: Request, pk: str) -> Signaal:
        if not policy.can_triage(request.user):
            raise Http404
        return selectors.signaal_get_for(user=request.user, pk=_int(pk), record_read=False)

    @extend_schema(
        request=serializers.SignaalLinkSerializer, responses=serializers.SignaalSerializer
    )
    @action(detail=True, methods=["post"])
    def koppelen(self, request: Request, pk: str) -> Response:
        signaal = self._triage_target(request, pk)
        serializer = serializers.SignaalLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            casus = selectors.casus_get_for(
                user=request.user,
                referentie=serializer.validated_data["referentie"],
                record_read=False,
            )
        except Http404:
            raise DrfValidationError(
                {"referentie": ["Er is geen casus met deze referentie."]}
            ) from None
        signaal = intake.signaal_link(actor=request.user, signaal=signaal, casus=casus)
        return Response(
            serializers.SignaalSerializer(signaal, context=self._context([signaal])).data
        )

    @extend_schema(
        request=serializers.SignaalOpenCasusSerializer,
        responses={201: serializers.CasusDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="casus-openen")
    def casus_openen(self, request: Request, pk: str) -> Response:
        signaal = self._triage_target(request, pk)
        serializer = serializers.SignaalOpenCasusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        casus = intake.signaal_open_casus(
            actor=request.user, signaal=signaal, **serializer.validated_data
        )
        return Response(
            serializers.CasusDetailSerializer(casus).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.SignaalCloseSerializer, responses=serializers.SignaalSerializer
    )
    @action(detail=True, methods=["post"])
    def afsluiten(self, request: Request, pk: str) -> Response:
        signaal = self._triage_target(request, pk)
        serializer = serializers.SignaalCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signaal = intake.signaal_close(
            actor=request.user, signaal=signaal, reden=serializer.validated_data["reden"]
        )
        return Response(
            serializers.SignaalSerializer(signaal, context=self._context([signaal])).data
        )


class OverlegViewSet(viewsets.GenericViewSet):
    """Meetings the user takes part in, and their agenda redacted for the reader."""

    lookup_value_regex = r"[0-9]+"
    pagination_class = Pagination
    serializer_class = serializers.OverlegSerializer
    queryset = Overleg.objects.none()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _require_content_reader(request)

    @extend_schema(responses=serializers.OverlegSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(overleg_selectors.overleg_list_for(user=request.user)) or []
        return self.get_paginated_response(serializers.OverlegSerializer(page, many=True).data)

    @extend_schema(responses=serializers.OverlegSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        item = overleg_selectors.overleg_get_for(user=request.user, pk=_int(pk))
        return Response(serializers.OverlegSerializer(item).data)

    @extend_schema(responses=serializers.AgendaRegelSerializer(many=True))
    @action(detail=True, methods=["get"])
    def agenda(self, request: Request, pk: str) -> Response:
        item = overleg_selectors.overleg_get_for(user=request.user, pk=_int(pk))
        regels = overleg_selectors.agenda_for(user=request.user, overleg=item)
        return Response(serializers.AgendaRegelSerializer(regels, many=True).data)
