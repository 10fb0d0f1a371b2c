"""Reads for refunds: the payments and tickets a caller may reach, and an order's refunds.

A customer reaches the payments of orders bound to its own buyer identity in its token's
store and environment; a merchant, the payments of its stores in its key's environment.
Anything else is "not found", never "forbidden": its existence is not the caller's to know.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Sum

from core.errors import NotFound
from core.ids import InvalidShortId, from_short_id
from payments.models import Payment, PaymentStatus, Refund, RefundStatus, RefundTicket
from stores.models import Store

PAYMENT_NOT_FOUND = "Payment not found"
TICKET_NOT_FOUND = "Refund ticket not found"


def _pk(prefix: str, text: str, message: str) -> uuid.UUID:
    try:
        return from_short_id(prefix, text)
    except InvalidShortId:
        raise NotFound(message, layer="ticket") from None


def payment_for_customer(
    *, public_id: str, store_id: uuid.UUID, buyer_identity: str, environment: str
) -> Payment:
    payment = (
        Payment.objects.select_related("order")
        .filter(
            pk=_pk("PAY", public_id, PAYMENT_NOT_FOUND),
            order__store_id=store_id,
            order__environment=environment,
            order__buyer_identity=buyer_identity,
        )
        .exclude(order__buyer_identity="")
        .first()
    )
    if payment is None:
        raise NotFound(PAYMENT_NOT_FOUND, layer="ticket")
    return payment


def payment_for_merchant(*, public_id: str, merchant_id: uuid.UUID, environment: str) -> Payment:
    payment = (
        Payment.objects.select_related("order")
        .filter(
            pk=_pk("PAY", public_id, PAYMENT_NOT_FOUND),
            order__store__in=Store.objects.reachable_by(merchant_id),
            order__environment=environment,
        )
        .first()
    )
    if payment is None:
        raise NotFound(PAYMENT_NOT_FOUND, layer="ticket")
    return payment


def ticket_for_customer(
    *, public_id: str, store_id: uuid.UUID, buyer_identity: str, environment: str
) -> RefundTicket:
    ticket = (
        RefundTicket.objects.select_related("payment", "current_version")
        .filter(
            pk=_pk("TKT", public_id, TICKET_NOT_FOUND),
            store_id=store_id,
            environment=environment,
            order__buyer_identity=buyer_identity,
        )
        .exclude(order__buyer_identity="")
        .first()
    )
    if ticket is None:
        raise NotFound(TICKET_NOT_FOUND, layer="ticket")
    return ticket


def ticket_by_public_id(*, public_id: str) -> RefundTicket | None:
    """Any ticket, for the platform's own staff (the review command)."""
    try:
        pk = from_short_id("TKT", public_id)
    except InvalidShortId:
        return None
    return RefundTicket.objects.select_related("payment", "current_version").filter(pk=pk).first()


@dataclass(frozen=True, slots=True)
class OrderRefunds:
    paid_minor: int
    refunded_minor: int
    refunded_tax_minor: int

    @property
    def net_minor(self) -> int:
        return self.paid_minor - self.refunded_minor


def order_refunds(*, order_id: uuid.UUID) -> OrderRefunds:
    """What an order's payments took and what succeeded refunds gave back."""
    paid = Payment.objects.filter(order_id=order_id, status=PaymentStatus.SUCCEEDED).aggregate(
        total=Sum("amount_minor")
    )["total"]
    refunded = Refund.objects.filter(order_id=order_id, status=RefundStatus.SUCCEEDED).aggregate(
        amount=Sum("amount_minor"), tax=Sum("tax_minor")
    )
    return OrderRefunds(paid or 0, refunded["amount"] or 0, refunded["tax"] or 0)


def refunds_of_order(*, order_id: uuid.UUID) -> list[Refund]:
    return list(Refund.objects.filter(order_id=order_id).order_by("created_at"))


def tickets_for_merchant(*, merchant_id: uuid.UUID, environment: str):
    """Tickets of the merchant's stores in one environment, with what a listing shows."""
    return RefundTicket.objects.filter(
        store__in=Store.objects.reachable_by(merchant_id), environment=environment
    ).select_related("current_version", "payment__order__store", "order")


def refunds_for_merchant(*, merchant_id: uuid.UUID, environment: str):
    return Refund.objects.filter(
        store__in=Store.objects.reachable_by(merchant_id), environment=environment
    ).select_related("order", "payment")
