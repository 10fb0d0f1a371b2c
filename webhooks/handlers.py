"""Webhook deliveries from domain events: database only (rows, plus a task on commit).

``order.completed`` of a one-time order is the webhook ``order.completed``; of a
subscription order it is ``subscription.activated`` and ``subscription.payment_succeeded``
(the subscription's first payment). The payment-event ``eventId`` is the payment's ID, the
subscription status event's the order's.
"""

from django.utils import timezone

from catalog.models import ProductType
from core.events import handles
from core.ids import from_short_id
from core.models import DomainEvent
from orders.models import Order
from payments.models import Payment, PaymentStatus, Refund
from webhooks.deliveries import delivery_create, endpoints_for
from webhooks.payloads import PAYMENT_EVENTS, envelope, event_data, refund_event_data


def _event_types(order: Order) -> tuple[str, ...]:
    if order.product_type == ProductType.SUBSCRIPTION:
        return ("subscription.activated", "subscription.payment_succeeded")
    return ("order.completed",)


@handles("order.completed", name="webhooks.order_completed")
def order_completed(event: DomainEvent) -> None:
    order = (
        Order.objects.select_related("store", "checkout_session")
        .filter(pk=from_short_id("ORD", event.subject))
        .first()
    )
    if order is None:
        return
    payment = Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).first()
    if payment is None:
        return
    now = timezone.now()
    for event_type in _event_types(order):
        endpoints = endpoints_for(
            store_id=order.store_id, environment=order.environment, event_type=event_type
        )
        if not endpoints:
            continue
        event_id = payment.public_id if event_type in PAYMENT_EVENTS else order.public_id
        data = event_data(event_type=event_type, order=order, payment=payment)
        for endpoint in endpoints:
            delivery_create(
                endpoint=endpoint,
                event_type=event_type,
                event_id=event_id,
                now=now,
                build_body=lambda delivery_id, t=event_type, e=event_id, d=data: envelope(
                    delivery_id=delivery_id, event_type=t, event_id=e, order=order, data=d, now=now
                ),
            )


def _refund_event(event: DomainEvent) -> None:
    """The webhook of a refund's outcome; its ``eventId`` is the refund's ID."""
    refund = (
        Refund.objects.select_related("order__store", "order__checkout_session", "payment")
        .filter(pk=from_short_id("REF", event.subject))
        .first()
    )
    if refund is None:
        return
    order, event_type = refund.order, f"refund.{refund.status}"
    endpoints = endpoints_for(
        store_id=order.store_id, environment=order.environment, event_type=event_type
    )
    if not endpoints:
        return
    now, data = timezone.now(), refund_event_data(refund=refund)
    for endpoint in endpoints:
        delivery_create(
            endpoint=endpoint,
            event_type=event_type,
            event_id=refund.public_id,
            now=now,
            build_body=lambda delivery_id: envelope(
                delivery_id=delivery_id,
                event_type=event_type,
                event_id=refund.public_id,
                order=order,
                data=data,
                now=now,
            ),
        )


handles("refund.succeeded", name="webhooks.refund_succeeded")(_refund_event)
handles("refund.failed", name="webhooks.refund_failed")(_refund_event)
