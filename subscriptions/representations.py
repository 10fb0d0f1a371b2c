"""What the test clock prints: the order with its subscription, and its payments."""

from core.money import format_amount
from core.timefmt import iso_utc
from payments.models import Payment
from subscriptions.models import Subscription


def clock_json(subscription: Subscription) -> dict:
    order = subscription.order
    payments = Payment.objects.filter(order=order).order_by("created_at")
    return {
        "order": {
            "id": order.public_id,
            "status": order.status,
            "billingPeriod": subscription.billing_period,
            "periodNumber": subscription.period_number,
            "currentPeriodStart": iso_utc(subscription.current_period_start),
            "currentPeriodEnd": iso_utc(subscription.current_period_end),
            "canceledAt": iso_utc(order.canceled_at),
            "nextRetryAt": iso_utc(subscription.next_retry_at),
            "clock": iso_utc(subscription.clock),
        },
        "payments": [
            {
                "id": payment.public_id,
                "status": payment.status,
                "period": payment.period,
                "amount": format_amount(payment.amount_minor, payment.currency),
                "currency": payment.currency,
                "failureReason": payment.failure_message or payment.failure_code or None,
                "createdAt": iso_utc(payment.created_at),
            }
            for payment in payments
        ],
    }
