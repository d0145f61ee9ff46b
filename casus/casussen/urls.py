"""URLs of the casus pages (referentie in the path: a case reference, never a personal identifier)."""

from django.urls import path

from casus.casussen import views

app_name = "casussen"

urlpatterns = [
    path("", views.casus_list, name="list"),
    path("nieuw/", views.casus_open, name="open"),
    path("<str:referentie>/", views.casus_detail, name="detail"),
    path("<str:referentie>/status/", views.casus_status, name="status"),
    path("<str:referentie>/risico/", views.casus_risico, name="risico"),
    path("<str:referentie>/gegevens/", views.casus_gegevens, name="gegevens"),
    path(
        "<str:referentie>/afsluiten-voorstellen/",
        views.casus_afsluitvoorstel,
        name="afsluitvoorstel",
    ),
    path("<str:referentie>/betrokkenheid/", views.betrokkenheid_add, name="betrokkenheid_add"),
    path(
        "<str:referentie>/betrokkenheid/beeindigen/",
        views.betrokkenheid_remove,
        name="betrokkenheid_remove",
    ),
    path("<str:referentie>/bijdragen/", views.bijdrage_create, name="bijdrage_create"),
    path(
        "<str:referentie>/bijdragen/<int:pk>/zichtbaarheid/",
        views.bijdrage_visibility,
        name="bijdrage_visibility",
    ),
    path(
        "<str:referentie>/signalen/<int:pk>/zichtbaarheid/",
        views.signaal_visibility,
        name="signaal_visibility",
    ),
    path("<str:referentie>/afspraken/", views.afspraak_create, name="afspraak_create"),
    path("<str:referentie>/afspraken/<int:pk>/", views.afspraak_update, name="afspraak_update"),
    path("<str:referentie>/agenderen/", views.agendering_request, name="agenderen"),
    path(
        "<str:referentie>/toestemming-ingetrokken/",
        views.toestemming_intrekken,
        name="toestemming_intrekken",
    ),
]
