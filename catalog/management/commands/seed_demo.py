"""``make run`` calls this after migrating: demo merchant, store, products, test key."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from catalog.demo import ADMIN_EMAIL, ADMIN_PASSWORD, MERCHANT_EMAIL, MERCHANT_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print how to use it."

    def add_arguments(self, parser):
        parser.add_argument("--key-dir", type=Path, default=settings.VAR_DIR / "demo")

    def handle(self, *args, key_dir, **options):
        demo = seed_demo(key_dir=key_dir)
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
        self.stdout.write("\n".join([*lines, ""]))
