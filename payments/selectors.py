"""Reads of payments."""

from core.ids import InvalidShortId, from_short_id
from payments.models import Payment, PaymentStatus


def payment_by_reference(
    *, environment: str, processor: str, reference: str, public_id: str
) -> Payment | None:
    """The payment a processor's notification names: its reference (the PaymentIntent) and
    our ID must both match, in the environment whose secret signed the notification."""
    try:
        pk = from_short_id("PAY", public_id)
    except InvalidShortId:
        return None
    return (
        Payment.objects.select_related("order")
        .filter(
            pk=pk,
            processor=processor,
            processor_reference=reference,
            order__environment=environment,
        )
        .first()
    )


def payment_of_session(*, session_id, public_id: str) -> Payment | None:
    """A payment of the order of checkout session ``session_id``, by its public ID."""
    try:
        pk = from_short_id("PAY", public_id)
    except InvalidShortId:
        return None
    return (
        Payment.objects.select_related("order")
        .filter(pk=pk, order__checkout_session_id=session_id)
        .first()
    )


def pending_payment_of_session(*, session_id) -> Payment | None:
    return (
        Payment.objects.select_related("order")
        .filter(order__checkout_session_id=session_id, period=1, status="pending")
        .first()
    )


def period_payment(*, order_id, period: int | None) -> Payment | None:
    """The successful payment of billing period ``period`` of an order: at most one, by the
    ``one_succeeded_payment_per_period`` constraint (period 1 is the checkout's)."""
    if not period:
        return None
    return Payment.objects.filter(
        order_id=order_id, period=period, status=PaymentStatus.SUCCEEDED
    ).first()
