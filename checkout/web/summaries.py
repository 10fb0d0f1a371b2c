"""What hosted pages show of a session or an order: line and price summaries, totals, the
receipt's figures, storefront entries.

Everything here reads a session's locked values (or an order's stored ones, never live
product rows) and turns them into display strings; nothing decides a price or a tax rate.
"""

from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from checkout.models import CheckoutSession
from checkout.tax import TaxResult
from checkout.web.choices import country_name
from checkout.web.locale import PageLocale, money, percent

PERIOD_NOUNS = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"}
# Whole phrases, not a noun to put in a sentence: "per month" is "pro Monat", "每月".
PER_PERIOD = {
    "weekly": pgettext_lazy("price", "per week"),
    "monthly": pgettext_lazy("price", "per month"),
    "quarterly": pgettext_lazy("price", "per quarter"),
    "yearly": pgettext_lazy("price", "per year"),
}
EVERY_PERIOD = {
    "weekly": pgettext_lazy("billing", "every week"),
    "monthly": pgettext_lazy("billing", "every month"),
    "quarterly": pgettext_lazy("billing", "every quarter"),
    "yearly": pgettext_lazy("billing", "every year"),
}
# The tax names of checkout/tax/rates.csv, as a buyer reads them.
TAX_NAMES = {
    "VAT": gettext_lazy("VAT"),
    "GST": gettext_lazy("GST"),
    "HST": gettext_lazy("HST"),
    "IGST": gettext_lazy("IGST"),
    "GST + PST": gettext_lazy("GST + PST"),
    "GST + QST": gettext_lazy("GST + QST"),
    "GST + RST": gettext_lazy("GST + RST"),
    "Sales tax": gettext_lazy("Sales tax"),
    "Sales and use tax": gettext_lazy("Sales and use tax"),
    "Consumption tax": gettext_lazy("Consumption tax"),
    "Gross receipts tax": gettext_lazy("Gross receipts tax"),
    "General excise tax": gettext_lazy("General excise tax"),
    "Transaction privilege tax": gettext_lazy("Transaction privilege tax"),
}


def tax_name(name: str) -> str:
    return str(TAX_NAMES.get(name, name))


def _tax_label(*, reverse_charge: bool, name: str, rate, locale: PageLocale) -> str:
    if reverse_charge:
        return gettext("Reverse charge")
    if not name:
        return gettext("Tax")
    return f"{tax_name(name)} {percent(rate, locale)}"


def tax_label(result: TaxResult, locale: PageLocale) -> str:
    return _tax_label(
        reverse_charge=result.reverse_charge, name=result.tax_name, rate=result.rate, locale=locale
    )


def session_title(session: CheckoutSession) -> str:
    """``CheckoutSession.title`` in the page's language: "Widget and 2 more"."""
    items = session.line_items
    if len(items) < 2:
        return session.title
    extra = len(items) - 1
    return ngettext("%(name)s and %(count)s more", "%(name)s and %(count)s more", extra) % {
        "name": items[0].name,
        "count": extra,
    }


def script_text() -> dict:
    """The sentences the page script writes itself, in the page's language."""
    return {
        "reverseCharge": gettext("Reverse charge"),
        "tax": gettext("Tax"),
        "reverseChargeNote": gettext("VAT reverse charge: your business accounts for the VAT."),
        "incomplete": gettext(
            "Complete your billing details to see the tax. Tax calculated at payment."
        ),
        "unavailable": gettext("Tax calculated at payment."),
        "processing": gettext("Processing…"),
        "pay": gettext("Pay"),
        "taxNames": {name: str(text) for name, text in TAX_NAMES.items()},
    }


def _period_phrases(period: str | None) -> dict:
    return {
        "period": PERIOD_NOUNS.get(period or "", ""),
        "per_period": PER_PERIOD.get(period or "", ""),
        "every_period": EVERY_PERIOD.get(period or "", ""),
    }


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
    items_minor = sum(line.charged_unit_amount * line.quantity for line in items)
    due = items_minor
    method = session.shipping_method if session.requires_shipping else None
    if method:
        due += method["amount_minor"]
    data = {
        "product_name": session_title(session),
        "store_name": session.store_name,
        "currency": currency,
        "price": money(
            sum(line.unit_amount_minor * line.quantity for line in items), currency, locale
        ),
        "lines": _line_rows(items, currency, locale),
        # One line of quantity 1 is the headline price itself; anything else is listed.
        "show_lines": len(items) > 1 or items[0].quantity > 1 or session.requires_shipping,
        "requires_shipping": session.requires_shipping,
        # With shipping the summary reads items, shipping, tax, total: the pre-tax sum of
        # items and shipping is no "subtotal" a buyer can match to a line.
        "items_subtotal": money(items_minor, currency, locale),
        "shipping": _shipping_row(method, currency, locale),
        **_period_phrases(first.billing_period),
        "is_subscription": session.product_type == "subscription",
        **_trial_terms(first, currency, locale),
        "tax_included": all(line.tax_included for line in items),
        "due": money(due, currency, locale),
        "quoted": quote is not None,
    }
    data.update(_totals(quote, data["due"], currency, locale))
    return data


def shipping_amount(minor: int, currency: str, locale: PageLocale) -> str:
    return gettext("Free") if minor == 0 else money(minor, currency, locale)


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


def address_lines(address: dict | None, locale: PageLocale | None = None) -> list[str]:
    """A shipping address as it is written on a parcel, one line per entry (the country
    named in the page's language)."""
    if not address:
        return []
    name = " ".join(p for p in (address.get("first_name"), address.get("last_name")) if p)
    locality = " ".join(p for p in (address.get("province_code"), address.get("postal_code")) if p)
    city = ", ".join(p for p in (address.get("city"), locality) if p)
    code = address.get("country_code") or ""
    country = country_name(code, locale=locale.babel if locale else "en") if code else ""
    return [
        line
        for line in (name, address.get("address1"), address.get("address2"), city, country)
        if line
    ]


def order_amounts(order, locale: PageLocale) -> dict:
    """A receipt's figures, from what the order stored when it was placed. An order that
    ships reads like the checkout's summary: items subtotal, shipping, tax, total (never a
    "subtotal" that mixes goods and shipping)."""
    currency = order.currency
    label = _tax_label(
        reverse_charge=order.reverse_charge, name=order.tax_name, rate=order.tax_rate, locale=locale
    )
    lines = list(order.lines.all())
    shipping = next((line for line in lines if line.kind == "shipping"), None)
    items_minor = sum(
        line.unit_amount_minor * line.quantity for line in lines if line.kind != "shipping"
    )
    return {
        "items_subtotal": money(items_minor, currency, locale) if shipping else None,
        "shipping": _shipping_row(
            {"name": shipping.name, "amount_minor": shipping.unit_amount_minor * shipping.quantity}
            if shipping
            else None,
            currency,
            locale,
        ),
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
    return {
        "id": product.public_id,
        "name": version.name,
        "description": version.description or "",
        **_period_phrases(version.billing_period),
        "prices": [
            {
                "currency": price.currency,
                "amount": money(price.amount_minor, price.currency, locale),
            }
            for price in sorted(prices, key=lambda price: price.currency)
        ],
    }
