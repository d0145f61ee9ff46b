"""URL of the trends page (k-anonymised counts per period)."""

from django.urls import path

from casus import statistics_views as views

app_name = "trends"

urlpatterns = [
    path("", views.trends_index, name="index"),
]
