"""The invoice rows of a plan change's charge, fixed when the change is offered.

A merchant of record invoices every charge. A prorated change is two parts at their own tax
rates (the current plan's unused time credited, the target plan's remaining time charged),
so its invoice states both, each as the quote computed it: the rows add up to the charge to
the unit. A merchant's own figure is one row at the target plan's rate. The names are the
plans' names; the invoice translates the wording around them by each row's ``kind``.
"""

from checkout.tax import LineTax
from subscriptions.proration import Plan, Quote


def _row(part: LineTax, *, name: str, kind: str, tax_included: bool, sign: int) -> dict:
    return {
        "name": name,
        "kind": kind,
        "quantity": 1,
        "unit_amount_minor": sign * (part.total_minor if tax_included else part.subtotal_minor),
        "tax_included": tax_included,
        "tax_rate": f"{part.rate:.4f}",  # as an order line stores it
        "subtotal_minor": sign * part.subtotal_minor,
        "tax_minor": sign * part.tax_minor,
        "total_minor": sign * part.total_minor,
    }


def invoice_rows(
    *, quote: Quote, current: Plan, target: Plan, from_name: str, to_name: str
) -> list[dict]:
    """Nothing when nothing is charged now (a credit, a scheduled change, a trial)."""
    if quote.due_minor <= 0 or quote.charge_tax is None:
        return []
    if quote.credit_tax is None:  # the merchant's figure, tax included
        return [_row(quote.charge_tax, name=to_name, kind="plan_change", tax_included=True, sign=1)]
    return [
        _row(
            quote.credit_tax,
            name=from_name,
            kind="unused_time",
            tax_included=current.tax_included,
            sign=-1,
        ),
        _row(
            quote.charge_tax,
            name=to_name,
            kind="remaining_time",
            tax_included=target.tax_included,
            sign=1,
        ),
    ]
