"""Where partner and user administration reports its changes for the audit log.

The audit app sits above partners (arrows point down), so it registers its recorder here when
Django starts. Without a recorder, administration fails closed rather than going unaudited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from partners.models import User


class Recorder(Protocol):
    def __call__(
        self,
        *,
        action: str,
        actor: User | None,
        object_type: str,
        object_ref: str,
        outcome: str = "success",
    ) -> None: ...


_recorder: Recorder | None = None


def register_recorder(recorder: Recorder) -> None:
    global _recorder  # set once at start-up by audit.apps
    _recorder = recorder


def record(
    *,
    action: str,
    actor: User | None,
    object_type: str,
    object_ref: str,
    outcome: str = "success",
) -> None:
    """``outcome``: "success", "failure" (a wrong code) or "denied" (a lock)."""
    if _recorder is None:
        raise ImproperlyConfigured("No audit recorder registered: is the audit app installed?")
    _recorder(
        action=action, actor=actor, object_type=object_type, object_ref=object_ref, outcome=outcome
    )
