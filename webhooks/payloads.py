"""The SDK's ``WebhookEvent`` envelope and its ``WebhookEventData``, built from an order.

Names and presence follow the SDK's ``WebhookEventData``: payment events (``order.completed``,
``subscription.payment_succeeded``) carry ``chargedAmount``, ``listPrice`` and the payment
fields; ``subscription.activated`` (a subscription status event) carries ``planPrice``, the
subscription block and ``orderStatus``; ``subscription.payment_succeeded`` carries neither
the subscription block nor ``orderStatus``.
"""

import json
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from catalog.models import ProductVersion
from checkout.lines import SessionLine
from core.money import format_amount
from core.timefmt import iso_utc
from orders.models import Order
from payments.models import Payment, Refund
from subscriptions.models import Subscription
from subscriptions.periods import period_end
from subscriptions.renewals import renewal_amounts
from subscriptions.selectors import plan_price

PAYMENT_EVENTS = ("order.completed", "subscription.payment_succeeded")
PLAN_CHANGE_EVENTS = (
    "subscription.plan_changed",
    "subscription.plan_change_scheduled",
    "subscription.plan_change_failed",
)


def _breakdown(order: Order) -> dict:
    rate = Decimal(order.tax_rate).normalize()
    block = {
        "total": format_amount(order.total_minor, order.currency),
        "subtotal": format_amount(order.subtotal_minor, order.currency),
        "taxAmount": format_amount(order.tax_minor, order.currency),
        "taxRate": float(rate),
    }
    if order.tax_name:
        block["taxName"] = order.tax_name
    return block


def _plan_breakdown(order: Order, block: dict) -> dict:
    """A plan change event's ``planPrice``: the plan the subscription renews at now (after
    ``plan_changed``, the new one), at today's tax."""
    subscription = Subscription.objects.filter(order_id=order.pk).first()
    if subscription is None:
        return block
    amounts = renewal_amounts(subscription)
    plan = {
        "total": format_amount(amounts.total_minor, order.currency),
        "subtotal": format_amount(amounts.subtotal_minor, order.currency),
        "taxAmount": format_amount(amounts.tax_minor, order.currency),
        "taxRate": float(Decimal(amounts.rate).normalize()),
    }
    if amounts.tax_name:
        plan["taxName"] = amounts.tax_name
    return plan


def _deprecated_amounts(order: Order, amount: str) -> dict:
    block = _breakdown(order)
    fields = {
        "amount": amount,
        "taxAmount": block["taxAmount"],
        "taxRate": float(Decimal(order.tax_rate) / 100),
        "subtotal": block["subtotal"],
        "total": block["total"],
    }
    if order.tax_name:
        fields["taxName"] = order.tax_name
    return fields


def _product_fields(order: Order) -> tuple[dict, str]:
    """The product section and its billing period: the subscription's plan once it started
    (a plan change moves it), else the locked first line."""
    lines = [SessionLine.from_json(line) for line in order.checkout_session.lines]
    subscription = Subscription.objects.filter(order_id=order.pk).first()
    version_id = subscription.product_version_id if subscription else lines[0].product_version_id
    version = ProductVersion.objects.filter(pk=version_id).first()
    changed = subscription is not None and version_id != lines[0].product_version_id
    fields = {"productName": version.name if changed and version else lines[0].name}
    if version is not None and version.description:
        fields["productDescription"] = version.description
    if version is not None and version.metadata:
        fields["productMetadata"] = {str(k): str(v) for k, v in version.metadata.items()}
    if subscription is not None:
        return fields, subscription.billing_period
    return fields, lines[0].billing_period or (version.billing_period if version else "") or ""


def _order_fields(order: Order) -> dict:
    fields = {"orderId": order.public_id, "buyerEmail": order.buyer_email}
    if order.buyer_identity:
        fields["merchantProvidedBuyerIdentity"] = order.buyer_identity
    if order.order_merchant_external_id:
        fields["orderMerchantExternalId"] = order.order_merchant_external_id
    fields["currency"] = order.currency
    if order.billing_detail:
        fields["billingDetail"] = order.billing_detail
    if order.metadata:
        fields["orderMetadata"] = {str(k): str(v) for k, v in order.metadata.items()}
    return fields


def _payment_fields(payment: Payment) -> dict:
    fields = {
        "paymentId": payment.public_id,
        "paymentStatus": payment.status,
        "paymentMethod": "card",
    }
    if payment.card_last4:
        fields["paymentLast4"] = payment.card_last4
    if payment.failure_message:
        fields["paymentFailureReason"] = payment.failure_message
    fields["paymentDate"] = (payment.resolved_at or payment.created_at).date().isoformat()
    return fields


def _period_fields(order: Order, payment: Payment | None, billing_period: str) -> dict:
    """The subscription block: its current period once it started, else the first."""
    subscription = Subscription.objects.filter(order_id=order.pk).first()
    if subscription is not None:
        start, end = subscription.current_period_start, subscription.current_period_end
        number = subscription.period_number
    else:
        start = order.completed_at or (payment.resolved_at or payment.created_at)
        end, number = period_end(start, billing_period), 1
    return {
        "orderStatus": order.status,
        "billingPeriod": billing_period,
        "periodNumber": number,
        "currentPeriodStart": iso_utc(start),
        "currentPeriodEnd": iso_utc(end),
    }


def _plan_figures(order: Order):
    """A status event's ``planPrice``: the current phase's price. After a trial that is the
    plan's price per period, not the trial's checkout."""
    amounts = plan_price(order=order)
    if amounts is None:
        return order
    return SimpleNamespace(
        currency=amounts.currency,
        subtotal_minor=amounts.subtotal_minor,
        tax_minor=amounts.tax_minor,
        total_minor=amounts.total_minor,
        tax_rate=amounts.rate,
        tax_name=amounts.tax_name or "",
    )


def event_data(*, event_type: str, order: Order, payment: Payment | None) -> dict:
    product, billing_period = _product_fields(order)
    data = _order_fields(order)
    if event_type in PAYMENT_EVENTS:
        charged = format_amount(payment.amount_minor, payment.currency)
        data |= {"chargedAmount": charged, **_deprecated_amounts(order, charged)}
        data["listPrice"] = _breakdown(order)
        data |= product | _payment_fields(payment)
        if event_type == "order.completed":
            data["orderStatus"] = order.status
        else:
            data["periodNumber"] = payment.period
        return data
    figures = _plan_figures(order)
    plan = _breakdown(figures)
    if event_type in PLAN_CHANGE_EVENTS:
        plan = _plan_breakdown(order, plan)
    data |= _deprecated_amounts(figures, plan["total"]) | {"planPrice": plan} | product
    data |= _period_fields(order, payment, billing_period)
    if order.canceled_at:
        data["canceledAt"] = iso_utc(order.canceled_at)
    return data


def envelope(
    *, delivery_id: str, event_type: str, event_id: str, order: Order, data: dict, now: datetime
) -> str:
    """The exact body text that is signed and sent (compact JSON, key order kept)."""
    return json.dumps(
        {
            "id": delivery_id,
            "timestamp": iso_utc(now),
            "eventType": event_type,
            "eventId": event_id,
            "storeId": order.store.public_id,
            "storeName": order.store.name,
            "mode": order.environment,
            "data": data,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def refund_event_data(*, refund: Refund) -> dict:
    """``refund.succeeded`` / ``refund.failed``: the order's fields, the refund's, and the
    payment being refunded as it was charged (``originalPayment``, ``originalChargedAmount``).
    ``refundedAmount`` is what the processor gave back, so only a succeeded refund has it."""
    order, payment = refund.order, refund.payment
    data = _order_fields(order)
    if refund.merchant_external_id:
        data["refundTicketMerchantExternalId"] = refund.merchant_external_id
    amount = format_amount(refund.amount_minor, refund.currency)
    if refund.status == "succeeded":
        data["refundedAmount"] = amount
    data |= _deprecated_amounts(order, amount)
    data["originalChargedAmount"] = format_amount(payment.amount_minor, payment.currency)
    data["originalPayment"] = _breakdown(order)
    data |= _product_fields(order)[0] | _payment_fields(payment)
    data |= {
        "refundStatus": refund.status,
        "refundReason": refund.reason,
        "refundCreatedAt": iso_utc(refund.created_at),
    }
    return data
