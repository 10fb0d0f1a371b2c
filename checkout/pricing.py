"""The one place a session's amounts are computed: tax preview, hosted page, order.

Everything that shows or charges money for a session calls ``quote`` so the figure a
consumer saw is the figure the order stores.
"""

from checkout.billing import BillingDetail
from checkout.models import CheckoutSession
from checkout.tax import InvalidTaxId, TaxLine, TaxResult, compute_tax
from core.errors import BadRequest


def charged_amount(session: CheckoutSession) -> int:
    """What the first charge is for: the trial price while a trial applies."""
    if session.with_trial and session.trial_amount_minor is not None:
        return session.trial_amount_minor
    return session.amount_minor


def quote(*, session: CheckoutSession, billing: BillingDetail) -> TaxResult:
    line = TaxLine(
        amount_minor=charged_amount(session),
        quantity=1,
        tax_category=session.tax_category,
        tax_included=session.tax_included,
    )
    try:
        return compute_tax(lines=[line], currency=session.currency, buyer=billing.location())
    except InvalidTaxId:
        raise BadRequest("Invalid billingDetail", layer="order") from None
