"""Import the ECB's euro reference rates (eurofxref-daily.xml and friends)."""

from django.core.management.base import BaseCommand, CommandError

from fx.ecb import MalformedRates
from fx.services import RatesUnavailable, rates_import

DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"


class Command(BaseCommand):
    help = (
        "Import ECB reference rates from a file path or an https URL (default: the ECB's "
        "daily file); idempotent per rate date."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default=DAILY_URL, help="file path or https URL")

    def handle(self, *args, source, **options):
        try:
            imported = rates_import(source=source)
        except (MalformedRates, RatesUnavailable) as exc:
            raise CommandError(f"Nothing imported: {exc}") from None
        for one in imported:
            self.stdout.write(f"{one.rate_date}: {one.currencies} rates per 1 EUR")
