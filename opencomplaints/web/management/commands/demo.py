from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from opencomplaints.councils.models import Council

DEMO_YEARS = 3
DEMO_SEED = 1


class Command(BaseCommand):
    help = (
        "Run OpenComplaints with demonstration data: migrate the database, build a synthetic council the first "
        "time, and serve on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        if (settings.SETTINGS_MODULE or "").endswith(".production"):
            raise CommandError("The demonstration cannot run with the production settings.")
        database = settings.DATABASES["default"]
        self.stdout.write(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("The database is up to date.")
        if "demo-data" in get_commands():
            if Council.objects.exists():
                self.stdout.write("Demonstration data is already loaded (delete the data folder to start again).")
            else:
                self.stdout.write(f"Building {DEMO_YEARS} years of synthetic demonstration data (seed {DEMO_SEED})…")
                call_command("demo-data", years=DEMO_YEARS, seed=DEMO_SEED)
        if options["no_serve"]:
            return
        # The demonstration's accounts have no authenticator app: this process serves without two-factor sign-in,
        # and every staff page says so (production settings refuse to run this command at all).
        settings.OPENCOMPLAINTS["REQUIRE_TWO_FACTOR"] = False
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            self.style.SUCCESS(
                f"\nOpen {url} and sign in as 'manager' (complaints manager) or 'admin' (administrator) "
                "with the password 'demo-password-123'. Two-factor sign-in is off in this demonstration.\n"
            )
        )
        call_command("serve", host=options["host"], port=options["port"])
