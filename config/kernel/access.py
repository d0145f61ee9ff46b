"""The one page guard: signed in, never cached, and only for users with one of the named
permissions. Everyone else gets a 404 (existence is not leaked), and the refusal is recorded.

The kernel knows no roles and no audit log: the composition root names the two callables that
do, in the settings ``PERMISSION_CHECK`` (user, permission) -> bool and ``ACCESS_DENIED_RECORD``
(user=, object_type=, ref=) -> None.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    # The kernel knows no user model and no roles: any user a request carries, and permission
    # names (the apps' permission enum is a StrEnum).
    RequestUser: TypeAlias = AbstractBaseUser | AnonymousUser
    PermissionCheck: TypeAlias = Callable[[RequestUser, str], bool]

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class DeniedRecorder(Protocol):
    def __call__(self, *, user: RequestUser, object_type: str, ref: str) -> None: ...


@cache
def _checker() -> PermissionCheck:
    return cast("PermissionCheck", import_string(settings.PERMISSION_CHECK))


@cache
def _recorder() -> DeniedRecorder:
    return cast("DeniedRecorder", import_string(settings.ACCESS_DENIED_RECORD))


def has_any(user: RequestUser, permissions: tuple[str, ...]) -> bool:
    check = _checker()
    return any(check(user, permission) for permission in permissions)


def record_denied(request: HttpRequest, object_type: str, *, ref: str = "") -> None:
    if request.user.is_authenticated:
        _recorder()(user=request.user, object_type=object_type, ref=ref)


def require_permission(
    *permissions: str, object_type: str, record_page: bool = False
) -> Callable[[View], View]:
    """Guard a page: ``permissions`` are alternatives (one is enough). A ``PermissionDenied``
    raised by the service layer inside the view is the same 404, and is recorded too.

    ``record_page``: the refusal names the page that was tried (its URL name), for pages that
    show no single object (the FG's pages)."""
    if not permissions:
        raise ValueError("require_permission needs at least one permission")

    def decorator(view: View) -> View:
        @login_required
        @never_cache
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not has_any(request.user, permissions):
                match = request.resolver_match
                page = match.url_name if record_page and match and match.url_name else ""
                record_denied(request, object_type, ref=page)
                raise Http404
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                record_denied(request, object_type)
                raise Http404 from exc

        return cast(View, wrapped)

    return decorator


class NoStoreMiddleware:
    """What a signed-in user is shown is never kept by a browser or proxy cache: every response
    to a signed-in request that sets no cache policy of its own gets ``no-store`` (the API's
    answers with case content included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response
