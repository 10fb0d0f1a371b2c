"""Paid orders placed at chosen moments, for the analytics over GraphQL: the order is
created and paid, and its payment succeeded, at ``when``; a renewal is the order's next
billing period paid then."""

from datetime import UTC, datetime

from orders.models import Order
from payments.models import Payment, PaymentStatus
from tests.graphql_support import paid_order


def at(month: int, day: int, year: int = 2026, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


def bought(product, when: datetime, **session) -> Payment:
    """A paid order of ``product`` (a German buyer: 19 % VAT) made at ``when``."""
    order = paid_order(product, **session)
    Order.objects.filter(pk=order.pk).update(created_at=when, completed_at=when)
    payment = order.payments.get()
    Payment.objects.filter(pk=payment.pk).update(created_at=when, resolved_at=when)
    payment.refresh_from_db()
    return payment


def renewal(payment: Payment, when: datetime, *, period: int = 2) -> Payment:
    return Payment.objects.create(
        order=payment.order,
        status=PaymentStatus.SUCCEEDED,
        period=period,
        amount_minor=payment.amount_minor,
        tax_minor=payment.tax_minor,
        currency=payment.currency,
        resolved_at=when,
    )
