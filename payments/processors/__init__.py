"""Payment processors: one interface (``base``), the bundled test processor with its
database ledger (``sandbox``), Stripe (``stripe``; ``stripe_config``, ``stripe_webhook``), and the
refusal production starts with (``unconfigured``)."""

from django.conf import settings
from django.utils.module_loading import import_string

from payments.processors.base import PaymentProcessor


def processor_for(environment: str, setting: dict[str, str] | None = None) -> PaymentProcessor:
    """The processor that charges ``environment`` (``PAYMENT_PROCESSORS``)."""
    processor_class = import_string((setting or settings.PAYMENT_PROCESSORS)[environment])
    if hasattr(processor_class, "for_environment"):  # configured per environment (Stripe)
        return processor_class.for_environment(environment)
    return processor_class()
