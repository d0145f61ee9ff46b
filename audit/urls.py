"""URLs of the FG's pages: the audit log and the processing register (privacy officer only; 404
for everyone else)."""

from django.urls import path

from audit import views

app_name = "fg"

urlpatterns = [
    path("", views.index, name="index"),
    path("controleren/", views.verify, name="verify"),
    path("controlepunt/", views.checkpoint, name="checkpoint"),
    path("gebeurtenissen/", views.event_list, name="events"),
    path("gebeurtenissen/export.csv", views.event_export, name="export"),
    path("casus/<str:referentie>/", views.casus_access, name="casus"),
    path("gebruiker/<int:pk>/", views.user_activity, name="user"),
    path("geweigerd/", views.denied, name="denied"),
    path("verwerkingsregister/", views.processing_register, name="register"),
]
