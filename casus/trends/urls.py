"""URL of the trends page (k-anonymised counts per period)."""

from django.urls import path

from casus.trends import views as statistics_views

app_name = "trends"

urlpatterns = [
    path("", statistics_views.trends_index, name="index"),
]
