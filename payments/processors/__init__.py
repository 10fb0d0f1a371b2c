"""Payment processors: one interface (``base``), the bundled test processor with its
database ledger (``sandbox``), and the refusal production starts with (``unconfigured``)."""

from django.conf import settings
from django.utils.module_loading import import_string

from payments.processors.base import PaymentProcessor


def processor_for(environment: str, setting: dict[str, str] | None = None) -> PaymentProcessor:
    """The processor that charges ``environment`` (``PAYMENT_PROCESSORS``)."""
    return import_string((setting or settings.PAYMENT_PROCESSORS)[environment])()
