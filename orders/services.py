"""Placing orders, cancelling them, and marking them paid.

An order is the session's one record of who buys what for how much; it is opened (or
brought up to date) under the session's row lock, by placing it or by the payment that
pays it (``payments.services``), and completed by that payment's transaction.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog.models import ProductType
from checkout.billing import BillingDetail
from checkout.embargo import check_sale
from checkout.models import CheckoutSession
from checkout.pricing import quote, shipping_tax_basis
from checkout.services import check_store_sells, session_check_open, session_lock
from core.errors import BadRequest, Conflict, Forbidden, Unprocessable
from core.events import event_record
from core.text import is_email, normalize_email
from orders.invoices import invoice_issue
from orders.models import Order, OrderLine, OrderStatus
from orders.selectors import payment_under_way
from orders.trials import check_trial, forfeiting_used_trial

PAYMENT_IN_PROGRESS = "A payment for this checkout is already in progress"
SESSION_CLOSED = "Checkout session is closed"
_LOOK_UP = object()  # order_open_for_payment reads the order itself


class PaymentInProgress(Conflict):
    """A payment of this checkout is pending (it may have charged already): nothing about
    the order may change until it is resolved."""

    default_code = "payment_in_progress"
    default_layer = "order"

    def __init__(self):
        super().__init__(PAYMENT_IN_PROGRESS)


def _check_payable(session: CheckoutSession) -> None:
    session_check_open(session)
    check_store_sells(session.store, session.environment)  # it may have closed since


def check_order_owner(order: Order, buyer_identity: str) -> None:
    """An order bound to a buyer (placed with their token) only answers to that buyer:
    neither another buyer nor an anonymous caller may change or pay it."""
    if order.buyer_identity and order.buyer_identity != buyer_identity:
        raise Forbidden("Order does not belong to this credential", layer="order")


def _buyer_email(value: str) -> str:
    email = normalize_email(value)
    if not email:
        raise BadRequest("Missing required field: buyerEmail", layer="order")
    if not is_email(email):
        raise BadRequest("Invalid buyerEmail", layer="order")
    return email


def order_open_for_payment(
    *,
    session: CheckoutSession,
    billing: BillingDetail,
    buyer_email: str,
    buyer_identity: str,
    current: Order | object | None = _LOOK_UP,
    language: str = "",
) -> Order:
    """Inside the session lock: the session's one order, created or brought up to date.
    ``current``: the session's order (or None) as the caller already read it under the same
    session lock, which spares reading it again (issue 18: statements per payment);
    ``language``: the page's, when the buyer pays on one (their emails follow it)."""
    _check_payable(session)
    check_sale(
        environment=session.environment, billing=billing, shipping_address=session.shipping_address
    )
    if session.requires_shipping and not (session.shipping_address and session.shipping_method):
        raise Unprocessable("A shipping address and a shipping method are required", layer="order")
    email = _buyer_email(buyer_email or session.buyer_email)
    if current is _LOOK_UP:
        order = Order.objects.select_for_update().filter(checkout_session=session).first()
    else:
        order = current
    fresh = order is None
    if order is not None:
        if order.status != OrderStatus.PENDING:
            raise Conflict(SESSION_CLOSED, layer="order")
        check_order_owner(order, buyer_identity)
    buyer_identity = (order.buyer_identity if order else "") or buyer_identity
    check_trial(session=session, buyer_identity=buyer_identity, email=email)
    result = quote(session=session, billing=billing)
    if order is None:
        order = Order(
            store=session.store,
            environment=session.environment,
            checkout_session=session,
            product_type=session.product_type,
            order_merchant_external_id=session.order_merchant_external_id,
            metadata=session.metadata,
            partner_id=session.partner_id,
        )
    order.with_trial = any(line.with_trial for line in session.line_items)
    order.buyer_identity = buyer_identity
    order.buyer_email = email
    order.language = language or order.language
    order.billing_detail = billing.as_json()
    order.currency = result.currency
    order.subtotal_minor = result.subtotal_minor
    order.tax_minor = result.tax_minor
    order.total_minor = result.total_minor
    order.tax_rate = result.rate
    order.tax_name = result.tax_name or ""
    order.tax_country = result.country
    order.tax_region = result.region or ""
    order.reverse_charge = result.reverse_charge
    order.shipping_address = session.shipping_address
    order.save()
    _write_lines(order=order, session=session, result=result, fresh=fresh)
    return order


def _write_lines(*, order: Order, session: CheckoutSession, result, fresh: bool = False) -> None:
    """The order's lines with their share of the tax; placing again rewrites them (a new
    order has none to remove)."""
    if not fresh:
        order.lines.all().delete()
    items = session.line_items
    rows = [
        OrderLine(
            order=order,
            position=position,
            product_id=line.product_id,
            product_version_id=line.product_version_id,
            name=line.name,
            quantity=line.quantity,
            unit_amount_minor=line.charged_unit_amount,
            tax_category=line.tax_category,
            tax_included=line.tax_included,
            subtotal_minor=taxed.subtotal_minor,
            tax_minor=taxed.tax_minor,
            total_minor=taxed.total_minor,
            tax_rate=taxed.rate,
        )
        for position, (line, taxed) in enumerate(
            zip(items, result.lines[: len(items)], strict=True)
        )
    ]
    if session.shipping_method:
        shipping, taxed = session.shipping_method, result.lines[-1]
        basis = shipping_tax_basis(session)
        rows.append(
            OrderLine(
                order=order,
                position=len(rows),
                kind=OrderLine.Kind.SHIPPING,
                name=shipping["name"],
                quantity=1,
                unit_amount_minor=shipping["amount_minor"],
                tax_category=basis.tax_category,
                tax_included=basis.tax_included,
                subtotal_minor=taxed.subtotal_minor,
                tax_minor=taxed.tax_minor,
                total_minor=taxed.total_minor,
                tax_rate=taxed.rate,
            )
        )
    OrderLine.objects.bulk_create(rows)
    # As a read would return them (rates at the column's scale): the invoice issued when this
    # order is paid, later in the same request, takes them from here instead of reading them.
    scale = Decimal(1).scaleb(-OrderLine._meta.get_field("tax_rate").decimal_places)
    for row in rows:
        row.tax_rate = Decimal(row.tax_rate).quantize(scale)
    order.lines_written = rows


def order_place(
    *,
    session: CheckoutSession,
    billing: BillingDetail,
    buyer_email: str = "",
    buyer_identity: str = "",
) -> Order:
    """One pending order per session; placing again updates its billing and tax."""
    with forfeiting_used_trial(session.pk), transaction.atomic():
        session = session_lock(session.pk)
        if payment_under_way(session_id=session.pk):
            raise PaymentInProgress()
        return order_open_for_payment(
            session=session, billing=billing, buyer_email=buyer_email, buyer_identity=buyer_identity
        )


def order_cancel(*, order: Order) -> Order:
    """A pending order can be canceled by its buyer. Its session can then no longer be paid:
    a session has one order, and a canceled order takes no payment."""
    with transaction.atomic():
        # Same lock order as paying (session, then order), so a cancel and a payment of
        # one order always run one after the other.
        session_lock(order.checkout_session_id)
        order = Order.objects.select_for_update().get(pk=order.pk)
        if payment_under_way(session_id=order.checkout_session_id):
            raise PaymentInProgress()
        if order.status == OrderStatus.CANCELED:
            return order
        if order.status != OrderStatus.PENDING:
            raise BadRequest("Only pending orders can be canceled", layer="order")
        order.status = OrderStatus.CANCELED
        order.canceled_at = timezone.now()
        order.save(update_fields=["status", "canceled_at", "updated_at"])
    return order


def order_mark_paid(*, order: Order, now: datetime) -> None:
    """Inside the payment's transaction: the order is paid (a subscription starts)."""
    if order.product_type != ProductType.SUBSCRIPTION:
        order.status = OrderStatus.COMPLETED
    else:  # a trial's subscription starts trialing; its first charge comes at trial end
        order.status = OrderStatus.TRIALING if order.with_trial else OrderStatus.ACTIVE
    order.completed_at = now
    order.save(update_fields=["status", "completed_at", "updated_at"])
    # The invoice's number is taken here, so a completed order always has one and a
    # rolled-back payment never used one up.
    invoice_issue(order=order, now=now)
    event_record(
        name="order.completed",
        subject=order.public_id,
        payload={
            "orderId": order.public_id,
            "checkoutSessionId": f"cs_{order.checkout_session_id}",
            "status": order.status,
            "totalMinor": order.total_minor,
            "currency": order.currency,
        },
        store_id=order.store_id,
        environment=order.environment,
    )


def order_subscription_status(*, order: Order, status: str, now: datetime) -> Order:
    """Inside the caller's transaction, the order row locked: a subscription's new status,
    as its state machine decided (``subscriptions.states``). ``canceled_at`` is when the
    buyer or merchant asked to cancel; undoing the cancellation clears it."""
    order.status = status
    if status in (OrderStatus.CANCELING, OrderStatus.CANCELED):
        order.canceled_at = order.canceled_at or now
    elif status in (OrderStatus.ACTIVE, OrderStatus.TRIALING):
        order.canceled_at = None
    order.save(update_fields=["status", "canceled_at", "updated_at"])
    return order
