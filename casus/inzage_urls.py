"""URLs for requests of data subjects (ids only; never an identifying attribute)."""

from django.urls import path

from casus import inzage_views as views

app_name = "verzoeken"

urlpatterns = [
    path("", views.verzoek_list, name="list"),
    path("<int:pk>/", views.verzoek_detail, name="detail"),
    path("<int:pk>/rapport.pdf", views.verzoek_pdf, name="pdf"),
    path("<int:pk>/loskoppelen/", views.verzoek_unlink, name="unlink"),
    path("<int:pk>/wissen/", views.verzoek_erase, name="erase"),
    path("<int:pk>/afronden/", views.verzoek_close, name="close"),
]
