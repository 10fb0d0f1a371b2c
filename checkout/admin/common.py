"""What the checkout admins share: merchant scoping through the store, domain rules' errors
as form errors, and money typed and shown as exact per-currency strings."""

from django.core.exceptions import ValidationError

from core.errors import AppError
from core.money import format_amount


def scoped_to_merchant_stores(queryset, merchant, store_path: str = "store"):
    return queryset.filter(
        **{
            f"{store_path}__memberships__merchant": merchant,
            f"{store_path}__deleted_at__isnull": True,
        }
    )


def form_error(rule, **kwargs):
    """A domain rule's answer as the form's error: the rule's message, word for word."""
    try:
        return rule(**kwargs)
    except AppError as error:
        raise ValidationError(error.message) from None


def display_amounts(amounts: dict | None) -> dict[str, str]:
    return {
        currency: format_amount(int(minor), currency)
        for currency, minor in sorted((amounts or {}).items())
    }


def amounts_line(amounts: dict | None) -> str:
    """ "EUR 4.50, USD 5.00": exact per-currency strings, never a float."""
    return ", ".join(f"{c} {text}" for c, text in display_amounts(amounts).items()) or "—"
