"""Start-up check: production sends by SMTP from a real sender, and its invoices name the
merchant of record's address and VAT ID. Django's own mail.E001 says the first only under
``check --deploy``; this one stops every command, the worker that sends included."""

from django.conf import settings
from django.core import checks

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@checks.register("notifications")
def mail_configured(app_configs=None, **kwargs) -> list:
    if not settings.EMAIL_REQUIRE_SMTP:
        return []
    problems = []
    if settings.MAILERS["default"].get("BACKEND") != SMTP_BACKEND:
        problems.append(
            checks.Error(
                "EMAIL_URL must name an SMTP server (smtp://, smtp+tls:// or smtps://) "
                "outside development",
                hint="Receipts and invoices would otherwise never reach buyers.",
                id="notifications.E002",
            )
        )
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
