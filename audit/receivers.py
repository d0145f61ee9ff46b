"""Authentication events from Django and django-axes, written to the audit log.

(MFA enrolment is recorded by the enrolment view itself, in the enrolment's transaction.)

These senders use ``send()`` (never ``send_robust``): if the event cannot be written, the
exception reaches the request instead of the event silently disappearing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from axes.signals import user_locked_out

from audit.models import AuditAction, Outcome
from audit.services import event_record
from partners.models import User


def _known_user(username: object) -> User | None:
    """The account a failed attempt was aimed at, if it exists.

    The typed text itself is never stored: people type passwords into the username field.
    """
    if not isinstance(username, str) or not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def on_logged_in(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    event_record(action=AuditAction.LOGIN, actor=user)


def on_logged_out(
    sender: object, request: HttpRequest, user: User | None, **kwargs: object
) -> None:
    """Django sends ``user=None`` when nobody was signed in."""
    if user is not None:
        event_record(action=AuditAction.LOGOUT, actor=user)


def on_login_failed(
    sender: object,
    credentials: dict[str, object],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    event_record(
        action=AuditAction.LOGIN_FAILED,
        outcome=Outcome.FAILURE,
        actor=_known_user(credentials.get("username")),
    )


def on_locked_out(
    sender: object, request: HttpRequest, username: object = None, **kwargs: object
) -> None:
    event_record(action=AuditAction.LOCKOUT, outcome=Outcome.DENIED, actor=_known_user(username))


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="audit.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit.lockout")
