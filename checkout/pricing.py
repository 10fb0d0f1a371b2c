"""The one place a session's amounts are computed: tax preview, hosted page, order.

Everything that shows or charges money for a session calls ``quote`` so the figure a
consumer saw is the figure the order stores. Its ``lines`` follow the session's lines, then
the shipping line when a method is chosen.
"""

from checkout.billing import BillingDetail
from checkout.lines import SessionLine
from checkout.models import CheckoutSession
from checkout.tax import BuyerLocation, InvalidTaxId, TaxLine, TaxResult, compute_tax
from core.errors import BadRequest


def buyer_location(*, billing: BillingDetail, shipping_address: dict | None) -> BuyerLocation:
    """Goods are taxed where they are shipped to; everything else where the buyer bills.

    The buyer's business status and tax ID come from billing either way.
    """
    location = billing.location()
    if not shipping_address:
        return location
    return BuyerLocation(
        country=shipping_address["country_code"],
        region=shipping_address.get("province_code") or None,
        postcode=shipping_address.get("postal_code") or None,
        is_business=location.is_business,
        tax_id=location.tax_id,
    )


def tax_location(session: CheckoutSession, billing: BillingDetail) -> BuyerLocation:
    return buyer_location(billing=billing, shipping_address=session.shipping_address)


def shipping_tax_basis(session: CheckoutSession) -> SessionLine:
    """Shipping follows the tax treatment of what it carries: the cart's largest line."""
    return max(session.line_items, key=lambda line: line.charged_unit_amount * line.quantity)


def tax_lines(session: CheckoutSession) -> list[TaxLine]:
    items = session.line_items
    lines = [
        TaxLine(
            amount_minor=line.charged_unit_amount,
            quantity=line.quantity,
            tax_category=line.tax_category,
            tax_included=line.tax_included,
        )
        for line in items
    ]
    method = session.shipping_method
    if method:
        main = shipping_tax_basis(session)
        lines.append(
            TaxLine(
                amount_minor=method["amount_minor"],
                quantity=1,
                tax_category=main.tax_category,
                tax_included=main.tax_included,
            )
        )
    return lines


def quote(*, session: CheckoutSession, billing: BillingDetail) -> TaxResult:
    try:
        return compute_tax(
            lines=tax_lines(session),
            currency=session.currency,
            buyer=tax_location(session, billing),
        )
    except InvalidTaxId:
        raise BadRequest("Invalid billingDetail", layer="order") from None
