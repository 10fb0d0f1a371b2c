"""Platform approval of a store for production payments."""

import json

from django.core.management.base import BaseCommand, CommandError

from core import ids
from stores import services
from stores.models import Store


class Command(BaseCommand):
    help = "Approve a store for prod (sets prodEnabled); --revoke withdraws the approval."

    def add_arguments(self, parser):
        parser.add_argument("store_id", help="STO_… short ID")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, store_id, revoke, **options):
        try:
            pk = ids.from_short_id("STO", store_id)
        except ids.InvalidShortId:
            raise CommandError(ids.format_error("STO", store_id)) from None
        store = Store.objects.alive().filter(pk=pk).first()
        if store is None:
            raise CommandError("Store not found")
        store = services.store_set_prod_enabled(store=store, enabled=not revoke)
        self.stdout.write(
            json.dumps({"storeId": store.public_id, "prodEnabled": store.prod_enabled})
        )
