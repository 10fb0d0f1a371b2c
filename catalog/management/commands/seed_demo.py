"""``make run`` calls this after migrating: demo merchant, store, products, test key."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.demo import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    MERCHANT_EMAIL,
    MERCHANT_PASSWORD,
    PARTNER_CLIENT_ID,
    PARTNER_CLIENT_SECRET,
    seed_demo,
)
from checkout import services as checkout_services
from checkout.links import hosted_checkout_url
from checkout.session_request import MAX_TTL_SECONDS, parse_session_request
from webhooks.signing import key_path as webhook_key_path
from webhooks.signing import public_key_pem as webhook_public_key


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print how to use it."

    def add_arguments(self, parser):
        parser.add_argument("--key-dir", type=Path, default=settings.VAR_DIR / "demo")

    def handle(self, *args, key_dir, **options):
        if not settings.RELAXED:
            raise CommandError(
                "seed_demo creates known logins; it runs only with APP_ENV=development or test"
            )
        demo = seed_demo(key_dir=key_dir)
        for environment in ("test", "prod"):
            webhook_public_key(environment)  # makes the development keys if need be
        base = settings.PUBLIC_BASE_URL
        lines = [
            "",
            "Pancake Checkout demo is ready.",
            f"  Admin:            {base}/admin/",
            f"  Merchant login:   {MERCHANT_EMAIL} / {MERCHANT_PASSWORD}",
            f"  Platform admin:   {ADMIN_EMAIL} / {ADMIN_PASSWORD}",
            f"  Merchant ID:      {demo.merchant.public_id}",
            f"  Test private key: {demo.private_key_path.resolve()}",
            f"  Store:            {demo.store.name} ({demo.store.public_id})",
        ]
        lines += [
            f"  Product:          {product.test_version.name} ({product.public_id})"
            for product in demo.products.values()
        ]
        # A fresh session every run: sessions expire, the rest of the demo data does not.
        ebook = demo.products["ebook"]
        session = checkout_services.session_create(
            request=parse_session_request(
                {
                    "productId": ebook.public_id,
                    "currency": "USD",
                    "expiresInSeconds": MAX_TTL_SECONDS,
                },
                from_merchant=True,
            ),
            environment="test",
            merchant_id=demo.merchant.pk,
        )
        lines += [
            f"  Storefront:       {base}/store/{demo.store.slug}/",
            f"  Cart link:        {base}/c/{demo.cart.public_id}",
            f"  Cart QR code:     {base}/admin/checkout/templatecart/{demo.cart.pk}/change/",
            f"  Checkout (USD):   {hosted_checkout_url(session)}",
            f"  Partner client:   {PARTNER_CLIENT_ID} / {PARTNER_CLIENT_SECRET}"
            f" (token: {base}/partner/oauth/token)",
            "  Test cards:       4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined,",
            "                    4000 0000 0000 9995 has insufficient funds",
            "                    (any future expiry, any CVC)",
            "  Webhook keys:     python manage.py webhook_public_key --environment test|prod"
            f" (signing key: {webhook_key_path('test').resolve()})",
        ]
        self.stdout.write("\n".join([*lines, ""]))
