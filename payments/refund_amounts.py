"""How much of a payment is left to refund, and how much of a refund is tax.

Refunds under way count as spent: an approved refund still waiting for the processor must
not be refunded a second time by the next ticket.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from payments.models import Payment, Refund, RefundStatus

SPENT = (RefundStatus.PROCESSING, RefundStatus.SUCCEEDED)


def _spent(payment: Payment) -> tuple[int, int]:
    totals = Refund.objects.filter(payment=payment, status__in=SPENT).aggregate(
        amount=Sum("amount_minor"), tax=Sum("tax_minor")
    )
    return totals["amount"] or 0, totals["tax"] or 0


def refundable_minor(*, payment: Payment) -> int:
    return payment.amount_minor - _spent(payment)[0]


def tax_share(*, payment: Payment, amount_minor: int) -> int:
    """The tax part of refunding ``amount_minor`` of ``payment``: in proportion, rounded once
    (half up, in minor units); the refund that empties the payment takes whatever tax is
    left, so the tax parts of a payment's refunds always sum to its tax exactly."""
    spent_amount, spent_tax = _spent(payment)
    tax = payment.tax_minor
    if amount_minor == payment.amount_minor - spent_amount:
        return tax - spent_tax
    return min(_round(Decimal(tax) * amount_minor / payment.amount_minor), tax - spent_tax)


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
