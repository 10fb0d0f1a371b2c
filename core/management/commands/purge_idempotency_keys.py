from django.core.management.base import BaseCommand

from core.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete idempotency records past their 24-hour retention (run from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {purge_expired()} expired idempotency records")
