"""The first signalenlijst: indicators of sexual exploitation from the Leeuwarden study and
common Dutch practice (CoMensha/Fier). Later versions are added by the beheerder; old
signals keep the version they were made with."""

import datetime

from django.db import migrations

INDICATOREN = [
    ("geen_eigen_id", "Heeft geen eigen identiteitsbewijs of iemand anders beheert het"),
    ("ingestudeerd_verhaal", "Vertelt een ingestudeerd of standaardverhaal"),
    ("gebracht_gehaald", "Wordt gebracht en gehaald"),
    ("verdiensten_afdragen", "Draagt verdiensten af of lost een schuld af"),
    ("slaapt_op_werkplek", "Slaapt op de werkplek"),
    ("weet_stad_niet", "Weet niet in welke stad zij of hij is"),
    ("via_tussenpersoon", "Communiceert alleen via een tussenpersoon of vertaalapp"),
    ("geweld_angst", "Tekenen van geweld, angst of intimidatie"),
    ("minderjarig", "Lijkt minderjarig"),
    ("wisselt_vaak", "Wisselt vaak van stad of werkplek"),
    ("telefoon_advertenties_derden", "Telefoon of advertenties worden door anderen beheerd"),
    ("eigendomstekens", "Tatoeages of tekens die op 'eigendom' wijzen"),
    ("niet_geregistreerd", "Niet ingeschreven of werkt zonder vergunning"),
    ("werkplek_door_derden", "Werkruimte of woning wordt door derden geregeld"),
    ("psychisch_kwetsbaar", "Psychisch kwetsbaar of licht verstandelijk beperkt"),
    ("afhankelijk_exploitant", "Afhankelijk van een exploitant (huisvesting, schuld, papieren)"),
    ("geen_medische_zorg", "Krijgt geen toegang tot medische zorg"),
    ("niet_pluis_professional", "Niet-pluisgevoel van de professional"),
]


def forward(apps, schema_editor):
    Signalenlijst = apps.get_model("casus", "Signalenlijst")
    Indicator = apps.get_model("casus", "Indicator")
    lijst, _ = Signalenlijst.objects.get_or_create(
        versie=1, defaults={"geldig_vanaf": datetime.date(2026, 1, 1), "actief": True}
    )
    for volgorde, (code, omschrijving) in enumerate(INDICATOREN, start=1):
        Indicator.objects.get_or_create(
            lijst=lijst, code=code, defaults={"omschrijving": omschrijving, "volgorde": volgorde}
        )


class Migration(migrations.Migration):
    dependencies = [("casus", "0002_signalen")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
