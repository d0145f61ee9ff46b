"""URLs of the AVG pages: the FG's retention overview and legal holds, and requests of data
subjects (ids only in the path; never an identifying attribute)."""

from django.urls import path

from casus.avg import views

app_name = "avg"

urlpatterns = [
    path("bewaartermijnen/", views.retention_overview, name="retention"),
    path("bewaartermijnen/bewaarplicht/", views.legal_hold_set, name="hold_set"),
    path(
        "bewaartermijnen/bewaarplicht/<int:pk>/opheffen/",
        views.legal_hold_lift,
        name="hold_lift",
    ),
    path("verzoeken/", views.verzoek_list, name="verzoek_list"),
    path("verzoeken/<int:pk>/", views.verzoek_detail, name="verzoek_detail"),
    path("verzoeken/<int:pk>/rapport.pdf", views.verzoek_pdf, name="verzoek_pdf"),
    path("verzoeken/<int:pk>/loskoppelen/", views.verzoek_unlink, name="verzoek_unlink"),
    path("verzoeken/<int:pk>/kandidaten/", views.verzoek_candidates, name="verzoek_candidates"),
    path(
        "verzoeken/<int:pk>/wissen/overzicht/",
        views.verzoek_erase_preview,
        name="verzoek_erase_preview",
    ),
    path("verzoeken/<int:pk>/wissen/", views.verzoek_erase, name="verzoek_erase"),
    path("verzoeken/<int:pk>/afronden/", views.verzoek_close, name="verzoek_close"),
]
