"""What hosted pages show of a session or an order: line and price summaries, totals, the
receipt's figures, storefront entries.

Everything here reads a session's locked values (or an order's stored ones, never live
product rows) and turns them into display strings; nothing decides a price or a tax rate.
"""

from checkout.billing import countries
from checkout.models import CheckoutSession
from checkout.tax import TaxResult
from checkout.web.locale import PageLocale, money, percent

PERIOD_NOUNS = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"}


def tax_label(result: TaxResult, locale: PageLocale) -> str:
    if result.reverse_charge:
        return "Reverse charge"
    if not result.tax_name:
        return "Tax"
    return f"{result.tax_name} {percent(result.rate, locale)}"


def _line_rows(items, currency: str, locale: PageLocale) -> list[dict]:
    return [
        {
            "name": line.name,
            "quantity": line.quantity,
            "unit": money(line.unit_amount_minor, currency, locale),
            "amount": money(line.unit_amount_minor * line.quantity, currency, locale),
        }
        for line in items
    ]


def _shipping_row(method: dict | None, currency: str, locale: PageLocale) -> dict | None:
    if not method:
        return None
    return {
        "name": method["name"],
        "amount": shipping_amount(method["amount_minor"], currency, locale),
        "free": method["amount_minor"] == 0,
    }


def _trial_terms(first, currency: str, locale: PageLocale) -> dict:
    return {
        "with_trial": first.with_trial,
        "trial_days": first.trial_days,
        "trial_price": (
            money(first.trial_amount_minor, currency, locale)
            if first.with_trial and first.trial_amount_minor
            else None  # a free trial: nothing is charged today
        ),
    }


def _totals(quote: TaxResult | None, due: str, currency: str, locale: PageLocale) -> dict:
    if quote is None:
        return {"subtotal": due, "tax": None, "tax_label": None, "total": due}
    return {
        "subtotal": money(quote.subtotal_minor, currency, locale),
        "tax": money(quote.tax_minor, currency, locale),
        "tax_label": tax_label(quote, locale),
        "total": money(quote.total_minor, currency, locale),
    }


def summary(session: CheckoutSession, locale: PageLocale, quote: TaxResult | None) -> dict:
    """What the order summary shows: the locked price, trial terms, and totals.

    Without a quote (no billing details yet) the total is the price before tax and the page
    says tax is calculated at payment.
    """
    currency = session.currency
    items = session.line_items
    first = items[0]
    due = sum(line.charged_unit_amount * line.quantity for line in items)
    method = session.shipping_method if session.requires_shipping else None
    if method:
        due += method["amount_minor"]
    data = {
        "product_name": session.title,
        "store_name": session.store_name,
        "currency": currency,
        "price": money(
            sum(line.unit_amount_minor * line.quantity for line in items), currency, locale
        ),
        "lines": _line_rows(items, currency, locale),
        # One line of quantity 1 is the headline price itself; anything else is listed.
        "show_lines": len(items) > 1 or items[0].quantity > 1 or session.requires_shipping,
        "requires_shipping": session.requires_shipping,
        "shipping": _shipping_row(method, currency, locale),
        "period": PERIOD_NOUNS.get(first.billing_period, ""),
        "is_subscription": session.product_type == "subscription",
        **_trial_terms(first, currency, locale),
        "tax_included": all(line.tax_included for line in items),
        "due": money(due, currency, locale),
        "quoted": quote is not None,
    }
    data.update(_totals(quote, data["due"], currency, locale))
    return data


def shipping_amount(minor: int, currency: str, locale: PageLocale) -> str:
    return "Free" if minor == 0 else money(minor, currency, locale)


def order_lines(order, locale: PageLocale) -> list[dict]:
    """A receipt's lines as the order stored them, the shipping line last."""
    currency = order.currency
    rows = []
    for line in order.lines.all():
        shipping = line.kind == "shipping"
        amount = line.unit_amount_minor * line.quantity
        rows.append(
            {
                "name": line.name,
                "quantity": line.quantity,
                "shipping": shipping,
                "unit": money(line.unit_amount_minor, currency, locale),
                "amount": shipping_amount(amount, currency, locale)
                if shipping
                else money(amount, currency, locale),
            }
        )
    return rows


def address_lines(address: dict | None) -> list[str]:
    """A shipping address as it is written on a parcel, one line per entry."""
    if not address:
        return []
    name = " ".join(p for p in (address.get("first_name"), address.get("last_name")) if p)
    locality = " ".join(p for p in (address.get("province_code"), address.get("postal_code")) if p)
    city = ", ".join(p for p in (address.get("city"), locality) if p)
    country = countries().get(address.get("country_code") or "", address.get("country_code"))
    return [
        line
        for line in (name, address.get("address1"), address.get("address2"), city, country)
        if line
    ]


def order_amounts(order, locale: PageLocale) -> dict:
    """A receipt's figures, from what the order stored when it was placed."""
    currency = order.currency
    if order.reverse_charge:
        label = "Reverse charge"
    elif order.tax_name:
        label = f"{order.tax_name} {percent(order.tax_rate, locale)}"
    else:
        label = "Tax"
    return {
        "subtotal": money(order.subtotal_minor, currency, locale),
        "tax": money(order.tax_minor, currency, locale),
        "tax_label": label,
        "total": money(order.total_minor, currency, locale),
    }


def refund_rows(refunds, order, locale: PageLocale) -> dict | None:
    """The refunds a receipt shows (given back, or on their way) and what remains paid."""
    shown = [refund for refund in refunds if refund.status != "failed"]
    if not shown:
        return None
    currency = order.currency
    given_back = sum(refund.amount_minor for refund in shown if refund.status == "succeeded")
    return {
        "rows": [
            {
                "id": refund.public_id,
                "amount": money(refund.amount_minor, currency, locale),
                "pending": refund.status != "succeeded",
                "date": refund.executed_at or refund.created_at,
            }
            for refund in shown
        ],
        "refunded": money(given_back, currency, locale),
        "net": money(order.total_minor - given_back, currency, locale),
    }


def product_card(product, version, prices, *, locale: PageLocale) -> dict:
    """One storefront entry: the environment's version and its prices, by currency."""
    period = PERIOD_NOUNS.get(version.billing_period or "", "")
    return {
        "id": product.public_id,
        "name": version.name,
        "description": version.description or "",
        "period": period,
        "prices": [
            {
                "currency": price.currency,
                "amount": money(price.amount_minor, price.currency, locale),
            }
            for price in sorted(prices, key=lambda price: price.currency)
        ],
    }
