"""Response shapes of the checkout actions."""

from decimal import Decimal

from checkout.links import hosted_checkout_url
from checkout.models import CheckoutSession
from checkout.tax import TaxResult
from core.money import format_amount
from core.timefmt import iso_utc


def rate_number(rate: Decimal) -> int | float:
    """The SDK types taxRate as a percentage number (10 for 10 %); JSON has no decimals."""
    return int(rate) if rate == rate.to_integral_value() else float(rate)


def session_json(session: CheckoutSession) -> dict:
    return {
        "sessionId": session.public_id,
        "checkoutUrl": hosted_checkout_url(session),
        "expiresAt": iso_utc(session.expires_at),
    }


def tax_json(result: TaxResult) -> dict:
    return {
        "subtotal": format_amount(result.subtotal_minor, result.currency),
        "taxAmount": format_amount(result.tax_minor, result.currency),
        "total": format_amount(result.total_minor, result.currency),
        "taxRate": rate_number(result.rate),
        "taxName": result.tax_name,
        "currency": result.currency,
        "reverseCharge": result.reverse_charge,
    }
