"""Load the synthetic demo data (PRODUCT.md §11). Idempotent; prints the demo users."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casus import demo as casus_demo
from partners import demo


class Command(BaseCommand):
    help = "Laadt de synthetische demodata (idempotent) en toont de demogebruikers."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                users = demo.seed_partners_and_users()
                created = casus_demo.seed_casussen()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Demodata geladen."))
        if created:
            self.stdout.write("Casussen aangemaakt: " + ", ".join(c.referentie for c in created))
        self.stdout.write("")
        self.stdout.write(f"{'Gebruiker':<22} {'Organisatie':<26} Functie")
        for user in users:
            self.stdout.write(
                f"{user.username:<22} {user.partner.name:<26} {user.get_role_display()}"
            )
        self.stdout.write("")
        self.stdout.write(f"Wachtwoord (alle demogebruikers): {demo.DEMO_PASSWORD}")
        self.stdout.write("Eenmalige code: python manage.py demo_totp GEBRUIKERSNAAM")
