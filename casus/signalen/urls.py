"""URLs of the signal pages (ids only in the path; never an identifying attribute)."""

from django.urls import path

from casus.signalen import views

app_name = "signalen"

urlpatterns = [
    path("", views.signaal_list, name="list"),
    path("nieuw/", views.signaal_new, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/", views.signaal_detail, name="detail"),
    path("<int:pk>/koppelen/", views.signaal_link, name="link"),
    path("<int:pk>/casus-openen/", views.signaal_open_casus, name="open_casus"),
    path("<int:pk>/afsluiten/", views.signaal_close, name="close"),
]
