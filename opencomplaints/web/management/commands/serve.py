from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application

# What a reverse proxy in front tells the web process: the scheme the browser used (the production settings redirect
# plain HTTP to HTTPS, so without it every request through the proxy would be redirected to itself) and the
# browser's address (for the sign-in lockout and the portal's rate limit, which would otherwise count every
# person as the proxy).
PROXY_HEADERS = {"x-forwarded-proto", "x-forwarded-for"}


class Command(BaseCommand):
    help = "Serve OpenComplaints with waitress (a production-quality WSGI server that runs everywhere)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--trusted-proxy",
            default="",
            metavar="ADDRESS",
            help="The address of the reverse proxy in front (or '*' where only the proxy can reach this process): "
            "its X-Forwarded-Proto and X-Forwarded-For are believed; from anyone else they are removed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Serving OpenComplaints on {url} (press Ctrl+C to stop)."))
        proxy: dict[str, Any] = {}
        if options["trusted_proxy"]:
            proxy = {
                "trusted_proxy": options["trusted_proxy"],
                "trusted_proxy_count": 1,
                "trusted_proxy_headers": PROXY_HEADERS,
            }
        serve(
            get_wsgi_application(),
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            **proxy,
        )
