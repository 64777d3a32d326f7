"""``opencomplaints api-webhook create --council SLUG --url URL --event case.registered [--event ...]
[--name NAME] [--disabled]``: subscribe a council's system to events and print the signing secret once
(docs/api.md). ``api-webhook list`` shows them with their deliveries; ``enable ID`` and ``disable ID``."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from opencomplaints.api.models import DeliveryStatus, WebhookEvent, WebhookSubscription
from opencomplaints.api.services import TokenError
from opencomplaints.api.services.webhooks import webhook_subscription_create, webhook_subscription_enable
from opencomplaints.councils.models import Council


class Command(BaseCommand):
    help = "Create, list, enable or disable webhook subscriptions."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Subscribe and print the signing secret once.")
        create.add_argument("--council", required=True)
        create.add_argument("--url", required=True, help="Where to POST the events (https://...).")
        create.add_argument("--event", action="append", choices=WebhookEvent.values, default=[], required=True)
        create.add_argument("--name", default="System integration")
        create.add_argument("--disabled", action="store_true", help="Make it turned off.")
        actions.add_parser("list", help="The subscriptions and how their deliveries went.")
        for name in ("enable", "disable"):
            actions.add_parser(name).add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            failed = Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED))
            rows = WebhookSubscription.objects.select_related("council").annotate(
                sent=Count("deliveries"), failed=failed
            )
            for row in rows:
                state = "enabled" if row.enabled else "disabled"
                self.stdout.write(f"{row.pk}  {row.council.slug}  {row.url}  {','.join(row.events)}  {state}  "
                                  f"{row.sent} deliveries, {row.failed} failed")  # fmt: skip
            return
        try:
            if action in ("enable", "disable"):
                subscription = WebhookSubscription.objects.filter(pk=options["id"]).first()
                if subscription is None:
                    raise CommandError(f"No webhook subscription has the id {options['id']}.")
                webhook_subscription_enable(subscription=subscription, enabled=action == "enable", acting_user=None)
                self.stdout.write(f"Subscription {subscription.pk} {action}d.")
                return
            council = Council.objects.filter(slug=options["council"]).first()
            if council is None:
                raise CommandError(f"No council has the short name {options['council']}.")
            subscription, secret = webhook_subscription_create(
                council=council, name=options["name"], url=options["url"], events=options["event"],
                acting_user=None, enabled=not options["disabled"],
            )  # fmt: skip
        except TokenError as error:
            raise CommandError(error.message) from None
        self.stderr.write(f"Subscription {subscription.pk}. The signing secret is shown only now: keep it safe.")
        self.stdout.write(secret)
