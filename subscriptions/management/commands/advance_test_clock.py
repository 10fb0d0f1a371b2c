"""Move a test-mode subscription forward by N billing periods, running every renewal,
retry and state change that falls due; prints the order and its payments as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from core.errors import AppError
from subscriptions.clock import clock_advance, order_for_clock
from subscriptions.representations import clock_json


class Command(BaseCommand):
    help = "Advance a test-mode subscription's clock by whole billing periods."

    def add_arguments(self, parser):
        parser.add_argument("--order", required=True, help="ORD_… ID of a test subscription")
        parser.add_argument("--periods", type=int, default=1)

    def handle(self, *args, order, periods, **options):
        try:
            subscription = clock_advance(order=order_for_clock(public_id=order), periods=periods)
        except AppError as error:
            raise CommandError(error.message) from None
        self.stdout.write(json.dumps(clock_json(subscription), ensure_ascii=False))
