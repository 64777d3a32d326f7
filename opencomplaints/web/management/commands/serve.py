from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application


class Command(BaseCommand):
    help = "Serve OpenComplaints with waitress (a production-quality WSGI server that runs everywhere)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Serving OpenComplaints on {url} (press Ctrl+C to stop)."))
        serve(get_wsgi_application(), host=options["host"], port=options["port"], threads=options["threads"])
