"""Webhook deliveries from domain events: database only (rows, plus a task on commit).

``order.completed`` of a one-time order is the webhook ``order.completed``; of a
subscription order it is ``subscription.activated`` and ``subscription.payment_succeeded``
(the subscription's first payment). The ``eventId`` names the business event, so each one
is delivered once per endpoint: a payment event's is the payment; a refund's, the refund;
``subscription.activated``'s and ``subscription.renewed``'s, the order and the renewal
payment; the other subscription status events', the order and when it changed.
"""

from collections.abc import Callable

from django.utils import timezone

from catalog.models import ProductType
from core.events import EVENT_NAMES, handles
from core.ids import from_short_id
from core.models import DomainEvent
from orders.models import Order
from orders.selectors import order_by_public_id
from payments.models import Payment, Refund
from payments.selectors import period_payment
from webhooks.deliveries import delivery_create, endpoints_for
from webhooks.event_types import EVENT_TYPES
from webhooks.payloads import PAYMENT_EVENTS, envelope, event_data, refund_event_data


def _send(order: Order, event_type: str, event_id: str, build_data: Callable[[], dict]) -> None:
    """One delivery per subscribed endpoint; the data is built only when one exists."""
    endpoints = endpoints_for(
        store_id=order.store_id, environment=order.environment, event_type=event_type
    )
    if not endpoints:
        return
    now, data = timezone.now(), build_data()
    for endpoint in endpoints:
        delivery_create(
            endpoint=endpoint,
            event_type=event_type,
            event_id=event_id,
            now=now,
            build_body=lambda delivery_id: envelope(
                delivery_id=delivery_id,
                event_type=event_type,
                event_id=event_id,
                order=order,
                data=data,
                now=now,
            ),
        )


def _event_types(order: Order, payment: Payment) -> tuple[str, ...]:
    """A trial's checkout activates nothing yet (``subscription.activated`` comes with the
    first paid period) and is a payment only when it charged a trial price."""
    if order.product_type != ProductType.SUBSCRIPTION:
        return ("order.completed",)
    if order.with_trial:
        return ("subscription.payment_succeeded",) if payment.amount_minor else ()
    return ("subscription.activated", "subscription.payment_succeeded")


@handles("order.completed", name="webhooks.order_completed")
def order_completed(event: DomainEvent) -> None:
    order = order_by_public_id(public_id=event.subject)
    if order is None:
        return
    payment = period_payment(order_id=order.pk, period=1)
    if payment is None:
        return
    for event_type in _event_types(order, payment):
        event_id = payment.public_id if event_type in PAYMENT_EVENTS else order.public_id
        _send(
            order,
            event_type,
            event_id,
            lambda t=event_type: event_data(event_type=t, order=order, payment=payment),
        )


def _refund_event(event: DomainEvent) -> None:
    refund = (
        Refund.objects.select_related("order__store", "order__checkout_session", "payment")
        .filter(pk=from_short_id("REF", event.subject))
        .first()
    )
    if refund is None:
        return
    _send(
        refund.order,
        f"refund.{refund.status}",
        refund.public_id,
        lambda: refund_event_data(refund=refund),
    )


PERIOD_PAID = ("subscription.renewed", "subscription.activated")


def _subscription_event(event: DomainEvent) -> None:
    """A subscription status event; a renewal, and the first paid period after a trial,
    also send that payment's ``subscription.payment_succeeded``."""
    order = order_by_public_id(public_id=event.subject)
    if order is None:
        return
    period = event.payload.get("period")
    payment = period_payment(order_id=order.pk, period=period)
    stamp = int(event.created_at.timestamp() * 1000)  # the same when the handler runs again
    event_id = payment.public_id if payment else f"{order.public_id}.{stamp}"
    _send(
        order,
        event.name,
        event_id,
        lambda: event_data(event_type=event.name, order=order, payment=payment),
    )
    if event.name in PERIOD_PAID and payment is not None:
        _send(
            order,
            "subscription.payment_succeeded",
            payment.public_id,
            lambda: event_data(
                event_type="subscription.payment_succeeded", order=order, payment=payment
            ),
        )


handles("refund.succeeded", name="webhooks.refund_succeeded")(_refund_event)
handles("refund.failed", name="webhooks.refund_failed")(_refund_event)
# Domain events that are not SDK event types (the trial reminder, for emails) send none.
_SUBSCRIPTION_EVENTS = {name for name in EVENT_NAMES if name.startswith("subscription.")}
for _name in sorted(_SUBSCRIPTION_EVENTS & set(EVENT_TYPES)):
    handles(_name, name=f"webhooks.{_name}")(_subscription_event)
