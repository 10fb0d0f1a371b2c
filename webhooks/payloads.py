"""The SDK's ``WebhookEvent`` envelope and its ``WebhookEventData``, built from an order.

Names and presence follow the SDK's ``WebhookEventData``: payment events (``order.completed``,
``subscription.payment_succeeded``) carry ``chargedAmount``, ``listPrice`` and the payment
fields; ``subscription.activated`` (a subscription status event) carries ``planPrice``, the
subscription block and ``orderStatus``; ``subscription.payment_succeeded`` carries neither
the subscription block nor ``orderStatus``.
"""

import calendar
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from catalog.models import ProductVersion
from checkout.lines import SessionLine
from core.money import format_amount
from core.timefmt import iso_utc
from orders.models import Order
from payments.models import Payment, Refund

PAYMENT_EVENTS = ("order.completed", "subscription.payment_succeeded")
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def period_end(start: datetime, billing_period: str) -> datetime:
    if billing_period == "weekly":
        return start + timedelta(days=7)
    months = PERIOD_MONTHS.get(billing_period, 1)
    end = _add_months(start.date(), months)
    return start.replace(year=end.year, month=end.month, day=end.day)


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
    """The product section (from the locked first line) and its billing period."""
    lines = [SessionLine.from_json(line) for line in order.checkout_session.lines]
    version = ProductVersion.objects.filter(pk=lines[0].product_version_id).first()
    fields = {"productName": lines[0].name}
    if version is not None and version.description:
        fields["productDescription"] = version.description
    if version is not None and version.metadata:
        fields["productMetadata"] = {str(k): str(v) for k, v in version.metadata.items()}
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


def event_data(*, event_type: str, order: Order, payment: Payment) -> dict:
    product, billing_period = _product_fields(order)
    data = _order_fields(order)
    if event_type in PAYMENT_EVENTS:
        charged = format_amount(payment.amount_minor, payment.currency)
        data |= {"chargedAmount": charged, **_deprecated_amounts(order, charged)}
        data["listPrice"] = _breakdown(order)
        data |= product | _payment_fields(payment)
        if event_type == "order.completed":
            data["orderStatus"] = order.status
        return data
    plan = _breakdown(order)
    data |= _deprecated_amounts(order, plan["total"]) | {"planPrice": plan} | product
    start = order.completed_at or payment.resolved_at or payment.created_at
    data |= {
        "orderStatus": order.status,
        "billingPeriod": billing_period,
        "currentPeriodStart": iso_utc(start),
        "currentPeriodEnd": iso_utc(period_end(start, billing_period)),
    }
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
