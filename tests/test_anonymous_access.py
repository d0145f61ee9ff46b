"""Every URL needs a complete sign-in, except an explicit allow-list (Zulip's PublicURLTest).

The walk covers every pattern of config.urls, through includes and the admin site at /beheer/.
The expectation table is written by hand and does not import the production rules: a new URL
without an entry fails ``test_every_url_has_an_expectation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern

import pytest

# What an anonymous GET gets:
LOGIN = "login"  # 302 to the login page (/accounts/login/), the one way in
ADMIN_404 = "admin_404"  # admin page: 302 into the admin's own login, which is a 404 by design
NOT_FOUND = "not_found"  # 404 straight away (the admin's login view)
PUBLIC = "public"  # on the allow-list: answers without a sign-in
API_DENIED = "api_denied"  # REST API: a JSON 403 "not authenticated", no redirect, no data

# The allow-list, with why each entry may answer an anonymous visitor.
ALLOW_LIST = {
    "account_login": "the login page itself",
    "healthz": "liveness for the orchestrator; answers {'status': 'ok'} and no data",
    "readyz": "readiness: one word per dependency (database, redis, migrations), no data",
    "set_language": "language switch (django.conf.urls.i18n); redirects, shows nothing",
    "mfa_authenticate": "the code step; without a pending password login it sends to the login",
    "account_inactive": (
        "allauth's fixed 'account inactive' notice, shown when a user is deactivated between "
        "the password and the code step; static text, no data"
    ),
    "static": "static files (only routed in DEBUG; whitenoise serves them in production)",
}

# URL name (or, for unnamed patterns, the full route) -> expected anonymous outcome.
EXPECTATIONS: dict[str, str] = {
    "home": LOGIN,
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "account_login": PUBLIC,
    "account_logout": LOGIN,
    "account_inactive": PUBLIC,
    "account_reauthenticate": LOGIN,
    "account_change_password": LOGIN,
    "account_set_password": LOGIN,
    "mfa_index": LOGIN,
    "mfa_authenticate": PUBLIC,
    "mfa_reauthenticate": LOGIN,
    "mfa_activate_totp": LOGIN,
    "mfa_deactivate_totp": LOGIN,
    "mfa_view_recovery_codes": LOGIN,
    "mfa_generate_recovery_codes": LOGIN,
    "mfa_download_recovery_codes": LOGIN,
    "set_language": PUBLIC,
    # Case pages: every view is wrapped in login_required first (casus.views._content_reader),
    # so an anonymous GET is sent to the login page even for the POST-only actions.
    "casussen:list": LOGIN,
    "casussen:open": LOGIN,
    "casussen:detail": LOGIN,
    "casussen:status": LOGIN,
    "casussen:betrokkenheid_add": LOGIN,
    "casussen:betrokkenheid_remove": LOGIN,
    "casussen:bijdrage_create": LOGIN,
    "casussen:bijdrage_visibility": LOGIN,
    "casussen:signaal_visibility": LOGIN,
    "casussen:afspraak_create": LOGIN,
    "casussen:afspraak_update": LOGIN,
    "casussen:agenderen": LOGIN,
    "casussen:risico": LOGIN,
    "casussen:gegevens": LOGIN,
    "casussen:afsluitvoorstel": LOGIN,
    # Signal pages: the same wrapper as the case pages.
    "signalen:list": LOGIN,
    "signalen:new": LOGIN,
    "signalen:inbox": LOGIN,
    "signalen:detail": LOGIN,
    "signalen:link": LOGIN,
    "signalen:open_casus": LOGIN,
    "signalen:close": LOGIN,
    # The FG's audit-log pages (audit.views._audit_viewer: login_required first).
    "fg:index": LOGIN,
    "fg:verify": LOGIN,
    "fg:checkpoint": LOGIN,
    "fg:events": LOGIN,
    "fg:export": LOGIN,
    "fg:casus": LOGIN,
    "fg:user": LOGIN,
    "fg:denied": LOGIN,
    "fg:register": LOGIN,
    # Ketenoverleg pages: the same wrapper as the case pages.
    "overleg:list": LOGIN,
    "overleg:detail": LOGIN,
    "overleg:progress": LOGIN,
    "overleg:generate": LOGIN,
    "overleg:finalise": LOGIN,
    "overleg:agenda_remove": LOGIN,
    "overleg:agenda_move": LOGIN,
    "overleg:agendapunt": LOGIN,
    "overleg:held": LOGIN,
    "overleg:minutes": LOGIN,
    "overleg:minutes_pdf": LOGIN,
    "overleg:minutes_adopt": LOGIN,
    "overleg:invite": LOGIN,
    "overleg:plan": LOGIN,
    "overleg:serie_new": LOGIN,
    "overleg:cancel": LOGIN,
    # Trend statistics (casus.statistics_views._trends_viewer: login_required first).
    "trends:index": LOGIN,
    "casussen:toestemming_intrekken": LOGIN,
    "avg:verzoek_list": LOGIN,
    "avg:verzoek_detail": LOGIN,
    "avg:verzoek_pdf": LOGIN,
    "avg:verzoek_unlink": LOGIN,
    "avg:verzoek_erase": LOGIN,
    "avg:verzoek_erase_preview": LOGIN,
    "avg:verzoek_candidates": LOGIN,
    "avg:verzoek_close": LOGIN,
    "avg:retention": LOGIN,
    "avg:hold_set": LOGIN,
    "avg:hold_lift": LOGIN,
    # The REST API (session authentication after MFA) answers anonymous calls with a 403.
    "api:casus-list": API_DENIED,
    "api:casus-detail": API_DENIED,
    "api:casus-status": API_DENIED,
    "api:casus-bijdragen": API_DENIED,
    "api:casus-risico": API_DENIED,
    "api:casus-afsluitvoorstel": API_DENIED,
    "api:afspraak-list": API_DENIED,
    "api:afspraak-detail": API_DENIED,
    "api:signaal-list": API_DENIED,
    "api:signaal-detail": API_DENIED,
    "api:signaal-koppelen": API_DENIED,
    "api:signaal-casus-openen": API_DENIED,
    "api:signaal-afsluiten": API_DENIED,
    "api:overleg-list": API_DENIED,
    "api:overleg-detail": API_DENIED,
    "api:overleg-agenda": API_DENIED,
    "api:schema": API_DENIED,
    "api:docs": API_DENIED,
    # The admin has no login of its own (KetenregieAdminSite.login raises Http404): everyone
    # signs in through /accounts/login/ with MFA. An anonymous visitor of any admin page is
    # sent to admin:login and ends on a 404, never on admin content.
    "admin:login": NOT_FOUND,
    "admin:index": ADMIN_404,
    "admin:logout": ADMIN_404,
    "admin:password_change": ADMIN_404,
    "admin:password_change_done": ADMIN_404,
    "admin:autocomplete": ADMIN_404,
    "admin:jsi18n": ADMIN_404,
    "admin:view_on_site": ADMIN_404,
    "admin:app_list": ADMIN_404,
    "admin:partners_partner_changelist": ADMIN_404,
    "admin:partners_partner_add": ADMIN_404,
    "admin:partners_partner_history": ADMIN_404,
    "admin:partners_partner_delete": ADMIN_404,
    "admin:partners_partner_change": ADMIN_404,
    "beheer/partners/partner/<path:object_id>/": ADMIN_404,  # redirect to .../change/
    "admin:partners_user_changelist": ADMIN_404,
    "admin:partners_user_add": ADMIN_404,
    "admin:partners_user_history": ADMIN_404,
    "admin:partners_user_delete": ADMIN_404,
    "admin:partners_user_change": ADMIN_404,
    "beheer/partners/user/<path:object_id>/": ADMIN_404,  # redirect to .../change/
    "admin:partners_rolwijzigingsverzoek_changelist": ADMIN_404,
    "admin:partners_rolwijzigingsverzoek_add": ADMIN_404,
    "admin:partners_rolwijzigingsverzoek_history": ADMIN_404,
    "admin:partners_rolwijzigingsverzoek_delete": ADMIN_404,
    "admin:partners_rolwijzigingsverzoek_change": ADMIN_404,
    "beheer/partners/rolwijzigingsverzoek/<path:object_id>/": ADMIN_404,  # to .../change/
    "beheer/(?P<url>.*)$": ADMIN_404,  # the admin's catch-all
    "static/(?P<path>.*)$": PUBLIC,  # only present with DEBUG=true
}

# Sample values for URL parameters, by parameter name; unknown names get one by converter.
SAMPLE_VALUES = {
    "object_id": "1",
    "content_type_id": "1",
    "app_label": "partners",
    "url": "bestaat-niet/",
    "path": "css/ketenregie.css",
    "referentie": "DEMO-001",
    "pk": "1",
    "item_pk": "1",
    "format": "json",
}
SAMPLE_BY_CONVERTER = {
    "int": "1",
    "str": "voorbeeld",
    "slug": "voorbeeld",
    "path": "voorbeeld",
    "uuid": "00000000-0000-4000-8000-000000000001",
}


@dataclass(frozen=True)
class Url:
    key: str  # URL name (namespaced) or, for an unnamed pattern, its full route
    route: str
    path: str  # a concrete path with sample values


def _concrete(pattern: Any) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_VALUES.get(m.group(1), "1"), text)
        return text.removeprefix("^").removesuffix("$")
    return re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: (
            SAMPLE_VALUES.get(m.group(2)) or SAMPLE_BY_CONVERTER.get(m.group(1) or "str", "1")
        ),
        text,
    )


def _walk(patterns, route: str = "", path: str = "", namespace: str | None = None):
    for pattern in patterns:
        segment_route = str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner_ns = namespace
            if pattern.namespace:
                inner_ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(
                pattern.url_patterns,
                route + segment_route,
                path + _concrete(pattern.pattern),
                inner_ns,
            )
        else:
            assert isinstance(pattern, URLPattern)
            full_route = route + segment_route
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Url(
                key=name or full_route,
                route=full_route,
                path="/" + path + _concrete(pattern.pattern),
            )


ALL_URLS = list(_walk(get_resolver().url_patterns))


def test_the_walk_finds_the_known_urls():
    keys = {url.key for url in ALL_URLS}
    # Sanity of the walk itself: top level, an include, the admin's models and its catch-all.
    assert {"home", "account_login", "mfa_authenticate", "set_language", "admin:index"} <= keys
    assert "admin:partners_user_change" in keys
    assert "beheer/(?P<url>.*)$" in keys
    assert len(ALL_URLS) >= 35


def test_every_url_has_an_expectation():
    missing = sorted(url.key for url in ALL_URLS if url.key not in EXPECTATIONS)
    assert not missing, (
        f"URLs without an entry in EXPECTATIONS (tests/test_anonymous_access.py): {missing}. "
        "Add each with the response an anonymous visitor must get."
    )


def test_expectation_table_has_no_stale_entries():
    keys = {url.key for url in ALL_URLS}
    stale = sorted(set(EXPECTATIONS) - keys - {"static/(?P<path>.*)$"})
    assert not stale, f"EXPECTATIONS names URLs that no longer exist: {stale}"


def test_only_allow_listed_urls_are_public():
    public = {key for key, outcome in EXPECTATIONS.items() if outcome == PUBLIC}
    public = {"static" if key.startswith("static/") else key for key in public}
    assert public == set(ALLOW_LIST)


@pytest.mark.parametrize("url", ALL_URLS, ids=lambda url: url.key)
def test_anonymous_get(url: Url, client: Client):
    # The concrete path resolves to the very pattern it was built from.
    assert resolve(url.path).route.removeprefix("^") == url.route.replace("^", ""), url.path

    expected = EXPECTATIONS.get(url.key)
    if expected is None:
        pytest.fail(f"{url.key} ({url.path}) has no entry in EXPECTATIONS")
    response = client.get(url.path)
    login_url = reverse("account_login")

    if expected == LOGIN:
        assert response.status_code == 302, (url.path, response.status_code)
        assert urlsplit(response["Location"]).path == login_url
    elif expected == NOT_FOUND:
        assert response.status_code == 404
    elif expected == ADMIN_404:
        assert response.status_code == 302, (url.path, response.status_code)
        assert urlsplit(response["Location"]).path.startswith("/beheer/")
        final = client.get(url.path, follow=True)
        assert final.status_code == 404, (url.path, final.redirect_chain)
        assert all(urlsplit(hop).path.startswith("/beheer/") for hop, _ in final.redirect_chain)
    elif expected == API_DENIED:
        assert response.status_code == 403, (url.path, response.status_code)
        assert b"casussen" not in response.content  # no data, and not even the schema's paths
        if response["Content-Type"].startswith("application/json"):
            assert set(response.json()) == {"detail"}
    elif expected == PUBLIC:
        allowed = {200, 204, 302}
        if url.key.startswith("static/"):
            allowed.add(404)  # the DEBUG-only view answers 404 while pytest-django forces DEBUG off
        assert response.status_code in allowed, (url.path, response.status_code)
        if response.status_code == 302:
            # A public URL may only send the visitor on to the start or the login page.
            assert urlsplit(response["Location"]).path in {"/", login_url}
    else:  # pragma: no cover - a typo in the table
        pytest.fail(f"unknown expectation {expected!r}")


def test_healthz_answers_without_data(client: Client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_public_login_page_shows_no_signed_in_content(client: Client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert b"Uitloggen" not in response.content
    assert response.context["user"].is_anonymous
