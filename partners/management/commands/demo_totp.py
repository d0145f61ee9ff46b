"""Print a demo user's current one-time code. Refuses to run unless demo mode is on."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from allauth.mfa.models import Authenticator

from partners import demo


class Command(BaseCommand):
    help = "Toont de huidige eenmalige code van een demogebruiker (alleen in demomodus)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if username not in {user.username for user in demo.DEMO_USERS}:
            raise CommandError(f"{username!r} is geen demogebruiker.")
        try:
            code = demo.current_code(username)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        except Authenticator.DoesNotExist as exc:
            raise CommandError(
                "Geen demodata: voer eerst 'python manage.py seed_demo' uit."
            ) from exc
        self.stdout.write(code)
