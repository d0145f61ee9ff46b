"""URL configuration. Every URL requires a complete (MFA) sign-in unless it is on the allow-list
in tests/test_anonymous_access.py."""

from django.conf import settings
from django.urls import include, path

from allauth.account import views as account_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views

from config import health, navigation
from partners import views as partner_views
from partners.admin import site as admin_site

# Only the allauth views the product uses: no sign-up, no e-mail management, no password reset
# by e-mail (the functional administrator resets accounts).
account_patterns = [
    path("login/", account_views.login, name="account_login"),
    path("logout/", account_views.logout, name="account_logout"),
    path("inactive/", account_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", account_views.password_change, name="account_change_password"),
    path("password/set/", account_views.password_set, name="account_set_password"),
    path("2fa/", mfa_views.index, name="mfa_index"),
    path("2fa/authenticate/", mfa_views.authenticate, name="mfa_authenticate"),
    path("2fa/reauthenticate/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("2fa/totp/activate/", partner_views.activate_totp, name="mfa_activate_totp"),
    # Shown so the page can say why: MFA is mandatory, the adapter refuses deactivation.
    path("2fa/totp/deactivate/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path(
        "2fa/recovery-codes/",
        recovery_views.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/generate/",
        recovery_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/download/",
        recovery_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
]

urlpatterns = [
    path("", navigation.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include(account_patterns)),
    path("casussen/", include("casus.casussen.urls")),
    path("signalen/", include("casus.signalen.urls")),
    path("overleggen/", include("casus.overleg.urls")),
    path("trends/", include("casus.trends.urls")),
    path("", include("casus.avg.urls")),
    path("fg/", include("audit.urls")),
    path("api/v1/", include(("config.api_urls", "api"), namespace="api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin_site.urls),
]

# A refused action is indistinguishable from a missing page (deny by default, no existence leak).
handler403 = "partners.views.not_found"
# Rendered without the database or the session: they must work while the database is down.
handler400 = "config.errors.bad_request"
handler500 = "config.errors.server_error"

if settings.DEBUG:  # pragma: no cover - static files are served by whitenoise in production
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
