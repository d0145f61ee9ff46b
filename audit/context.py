"""Per-request audit context (correlation id, source address), available to services and tasks."""

from __future__ import annotations

import uuid
from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    correlation_id: uuid.UUID
    source_address: str | None


_current: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def current() -> RequestContext | None:
    return _current.get()


def bind(context: RequestContext) -> Token[RequestContext | None]:
    return _current.set(context)


def reset(token: Token[RequestContext | None]) -> None:
    _current.reset(token)
