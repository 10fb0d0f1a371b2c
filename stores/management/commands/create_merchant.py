"""Provision a merchant from the command line and print it as one JSON object."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.errors import AppError
from stores import services


class Command(BaseCommand):
    help = "Create a merchant (admin login + API key) and print it as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", help="Admin password; omit for no admin login.")
        parser.add_argument("--public-key-file", type=Path, help="PEM file of an RSA public key.")
        parser.add_argument("--environment", choices=["test", "prod", "both"], default="test")

    def handle(self, *args, email, password, public_key_file, environment, **options):
        public_key = None
        if public_key_file is not None:
            try:
                public_key = public_key_file.read_text()
            except OSError as exc:
                raise CommandError(f"Cannot read {public_key_file}: {exc}") from exc
        try:
            with transaction.atomic():
                merchant = services.merchant_create(email=email, password=password)
                if public_key is not None:
                    # "both" is the operator's explicit opt-in: one key for test and prod,
                    # whose requests must then send X-Environment.
                    services.api_key_add(
                        merchant=merchant,
                        environment="test" if environment == "both" else environment,
                        public_key=public_key,
                        both_environments=environment == "both",
                    )
                keys = list(merchant.api_keys.order_by("-environment"))
        except AppError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            json.dumps(
                {
                    "merchantId": merchant.public_id,
                    "email": merchant.user.email,
                    "apiKeys": [
                        {
                            "environment": key.environment,
                            "fingerprint": key.fingerprint,
                            "bothEnvironments": key.both_environments,
                        }
                        for key in keys
                    ],
                }
            )
        )
