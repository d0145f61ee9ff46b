"""URLs of the ketenoverleg pages."""

from django.urls import path

from casus.overleg import views

app_name = "overleg"

urlpatterns = [
    path("", views.overleg_list, name="list"),
    path("plannen/", views.overleg_plan, name="plan"),
    path("reeksen/nieuw/", views.serie_new, name="serie_new"),
    path("<int:pk>/annuleren/", views.overleg_cancel, name="cancel"),
    path("<int:pk>/", views.overleg_detail, name="detail"),
    path("<int:pk>/voortgang/", views.overleg_progress, name="progress"),
    path("<int:pk>/genereren/", views.overleg_generate, name="generate"),
    path("<int:pk>/vaststellen/", views.agenda_finalise, name="finalise"),
    path("<int:pk>/agenda/<int:item_pk>/verwijderen/", views.agenda_remove, name="agenda_remove"),
    path("<int:pk>/agenda/<int:item_pk>/verplaatsen/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/agenda/<int:item_pk>/", views.agendapunt_meeting, name="agendapunt"),
    path("<int:pk>/gehouden/", views.overleg_held, name="held"),
    path("<int:pk>/verslag/", views.minutes, name="minutes"),
    path("<int:pk>/verslag.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/verslag/vaststellen/", views.minutes_adopt, name="minutes_adopt"),
    path("<int:pk>/uitnodiging.ics", views.invite_ics, name="invite"),
]
