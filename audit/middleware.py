"""Binds a correlation id and the (trusted-proxy aware) client address to every request."""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from axes.helpers import get_client_ip_address

from audit import context


def client_address(request: HttpRequest) -> str | None:
    """The client address, honouring only the configured number of trusted proxies."""
    raw = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(raw)) if raw else None
    except ValueError:
        return None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        correlation_id = uuid.uuid4()
        token = context.bind(context.RequestContext(correlation_id, client_address(request)))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = str(correlation_id)
        return response
