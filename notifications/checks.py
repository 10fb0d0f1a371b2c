"""Start-up check: production sends from a real sender, and its invoices name the merchant of
record's address and VAT ID. (An EMAIL_URL that is not SMTP is Django's own mail.E001 under
``check --deploy``.)"""

from django.conf import settings
from django.core import checks


@checks.register("notifications")
def mail_configured(app_configs=None, **kwargs) -> list:
    if not settings.EMAIL_REQUIRE_SMTP:
        return []
    problems = []
    for name in ("EMAIL_FROM_ADDRESS", "PLATFORM_ADDRESS_LINES", "PLATFORM_VAT_ID"):
        if not getattr(settings, name):
            problems.append(
                checks.Error(
                    f"{name} is required outside development",
                    hint="Invoices name the merchant of record's address and VAT ID.",
                    id="notifications.E001",
                )
            )
    return problems
