"""The one place a session's amounts are computed: tax preview, hosted page, order.

Everything that shows or charges money for a session calls ``quote`` so the figure a
consumer saw is the figure the order stores. Its ``lines`` follow the session's lines.
"""

from checkout.billing import BillingDetail
from checkout.models import CheckoutSession
from checkout.tax import InvalidTaxId, TaxLine, TaxResult, compute_tax
from core.errors import BadRequest


def quote(*, session: CheckoutSession, billing: BillingDetail) -> TaxResult:
    lines = [
        TaxLine(
            amount_minor=line.charged_unit_amount,
            quantity=line.quantity,
            tax_category=line.tax_category,
            tax_included=line.tax_included,
        )
        for line in session.line_items
    ]
    try:
        return compute_tax(lines=lines, currency=session.currency, buyer=billing.location())
    except InvalidTaxId:
        raise BadRequest("Invalid billingDetail", layer="order") from None
