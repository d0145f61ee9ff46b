"""URLs of the FG's retention page."""

from django.urls import path

from casus import retention_views as views

app_name = "retentie"

urlpatterns = [
    path("", views.retention_overview, name="overview"),
    path("bewaarplicht/", views.legal_hold_set, name="hold_set"),
    path("bewaarplicht/<int:pk>/opheffen/", views.legal_hold_lift, name="hold_lift"),
]
