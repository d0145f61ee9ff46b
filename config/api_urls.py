"""The versioned REST API: /api/v1/ with its OpenAPI 3 schema and interactive documentation."""

from django.urls import include, path

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from casus.casussen.api import AfspraakViewSet, CasusViewSet
from casus.overleg.api import OverlegViewSet
from casus.signalen.api import SignaalViewSet

router = SimpleRouter(trailing_slash=True)
router.register("casussen", CasusViewSet, basename="casus")
router.register("afspraken", AfspraakViewSet, basename="afspraak")
router.register("signalen", SignaalViewSet, basename="signaal")
router.register("overleggen", OverlegViewSet, basename="overleg")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
