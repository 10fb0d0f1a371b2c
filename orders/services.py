"""Placing orders and paying them exactly once.

Paying is three short steps, never one long transaction around a network call:
1. under a row lock on the session, find or create the order and claim one pending payment
   (the database allows one pending and one succeeded payment per order);
2. charge the processor outside any transaction, with the payment's ID as the idempotency
   key, so a retry of the same payment can never charge twice;
3. under the lock again, record the outcome; success completes order and session.
A request that arrives while another payment is pending gets a conflict; a pending
payment left behind by a crashed request is resumed with its original key.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import ProductType
from checkout.billing import BillingDetail
from checkout.models import CheckoutSession, SessionStatus
from checkout.pricing import quote, shipping_tax_basis
from checkout.services import SessionExpired, check_store_sells
from core.errors import AppError, BadRequest, Conflict, Forbidden, Unprocessable
from core.text import is_email, normalize_email
from orders import processors
from orders.models import Order, OrderLine, OrderStatus, Payment, PaymentStatus
from partners.services import basket_complete

PAYMENT_IN_PROGRESS = "A payment for this checkout is already in progress"
ALREADY_COMPLETED = "Checkout session is already completed"
SESSION_CLOSED = "Checkout session is closed"
STALE_PAYMENT = timedelta(minutes=2)
MAX_FAILED_ATTEMPTS = 10


class TooManyAttempts(AppError):
    """Card testing shows up as many declines on one checkout; past the cap it stops."""

    status = 429
    default_layer = "order"

    def __init__(self):
        super().__init__("Too many failed payment attempts for this checkout")


@dataclass(frozen=True)
class PaymentOutcome:
    order: Order
    payment: Payment | None
    succeeded: bool
    already_completed: bool = False


def _locked_session(session_id) -> CheckoutSession:
    return (
        CheckoutSession.objects.select_for_update(of=("self",))
        .select_related("store")
        .get(pk=session_id)
    )


def _check_payable(session: CheckoutSession) -> None:
    if session.status == SessionStatus.COMPLETED:
        raise Conflict(ALREADY_COMPLETED, layer="order")
    if timezone.now() >= session.expires_at:
        raise SessionExpired()
    check_store_sells(session.store, session.environment)  # it may have closed since


def _check_owner(order: Order, buyer_identity: str) -> None:
    """An order bound to a buyer (placed with their token) only answers to that buyer:
    neither another buyer nor an anonymous caller may change or pay it."""
    if order.buyer_identity and order.buyer_identity != buyer_identity:
        raise Forbidden("Order does not belong to this credential", layer="order")


def _open_order(
    *,
    session: CheckoutSession,
    billing: BillingDetail,
    buyer_email: str,
    buyer_identity: str,
) -> Order:
    """Inside the session lock: the session's one order, created or brought up to date."""
    _check_payable(session)
    if session.requires_shipping and not (session.shipping_address and session.shipping_method):
        raise Unprocessable("A shipping address and a shipping method are required", layer="order")
    email = normalize_email(buyer_email or session.buyer_email)
    if not email:
        raise BadRequest("Missing required field: buyerEmail", layer="order")
    if not is_email(email):
        raise BadRequest("Invalid buyerEmail", layer="order")
    result = quote(session=session, billing=billing)
    order = Order.objects.select_for_update().filter(checkout_session=session).first()
    if order is not None:
        if order.status != OrderStatus.PENDING:
            raise Conflict(SESSION_CLOSED, layer="order")
        _check_owner(order, buyer_identity)
    else:
        order = Order(
            store=session.store,
            environment=session.environment,
            checkout_session=session,
            product_type=session.product_type,
            order_merchant_external_id=session.order_merchant_external_id,
            metadata=session.metadata,
            partner_id=session.partner_id,
            with_trial=any(line.with_trial for line in session.line_items),
        )
    order.buyer_identity = order.buyer_identity or buyer_identity
    order.buyer_email = email
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
    _write_lines(order=order, session=session, result=result)
    return order


def _write_lines(*, order: Order, session: CheckoutSession, result) -> None:
    """The order's lines with their share of the tax; placing again rewrites them."""
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


def order_place(
    *,
    session: CheckoutSession,
    billing: BillingDetail,
    buyer_email: str = "",
    buyer_identity: str = "",
) -> Order:
    """One pending order per session; placing again updates its billing and tax."""
    with transaction.atomic():
        session = _locked_session(session.pk)
        if Payment.objects.filter(
            order__checkout_session=session, status=PaymentStatus.PENDING
        ).exists():
            raise Conflict(PAYMENT_IN_PROGRESS, layer="order")
        return _open_order(
            session=session, billing=billing, buyer_email=buyer_email, buyer_identity=buyer_identity
        )


def order_cancel(*, order: Order) -> Order:
    """A pending order can be canceled by its buyer. Its session can then no longer be paid:
    a session has one order, and a canceled order takes no payment."""
    with transaction.atomic():
        # Same lock order as paying (session, then order), so a cancel and a payment of
        # one order always run one after the other.
        _locked_session(order.checkout_session_id)
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.payments.filter(status=PaymentStatus.PENDING).exists():
            raise Conflict(PAYMENT_IN_PROGRESS, layer="order")
        if order.status == OrderStatus.CANCELED:
            return order
        if order.status != OrderStatus.PENDING:
            raise BadRequest("Only pending orders can be canceled", layer="order")
        order.status = OrderStatus.CANCELED
        order.canceled_at = timezone.now()
        order.save(update_fields=["status", "canceled_at", "updated_at"])
    return order


def _claim_payment(
    *,
    session_id,
    billing: BillingDetail,
    card: processors.Card,
    buyer_email: str,
    buyer_identity: str,
) -> PaymentOutcome:
    with transaction.atomic():
        session = _locked_session(session_id)
        if session.status == SessionStatus.COMPLETED:
            order = Order.objects.get(checkout_session=session)
            paid = order.payments.filter(status=PaymentStatus.SUCCEEDED).first()
            return PaymentOutcome(order, paid, succeeded=True, already_completed=True)
        pending = Payment.objects.filter(
            order__checkout_session=session, status=PaymentStatus.PENDING
        ).first()
        if pending is not None:
            if timezone.now() - pending.updated_at < STALE_PAYMENT:
                raise Conflict(PAYMENT_IN_PROGRESS, layer="order")
            _check_payable(session)
            _check_owner(pending.order, buyer_identity)
            pending.save(update_fields=["updated_at"])  # resume it, with its own key
            return PaymentOutcome(pending.order, pending, succeeded=False)
        failed = Payment.objects.filter(
            order__checkout_session=session, status=PaymentStatus.FAILED
        ).count()
        if failed >= MAX_FAILED_ATTEMPTS:
            raise TooManyAttempts()
        order = _open_order(
            session=session, billing=billing, buyer_email=buyer_email, buyer_identity=buyer_identity
        )
        payment = Payment.objects.create(
            order=order,
            amount_minor=order.total_minor,
            currency=order.currency,
            card_brand=card.brand,
            card_last4=card.last4,
        )
        return PaymentOutcome(order, payment, succeeded=False)


def _record(*, payment: Payment, result: processors.ChargeResult) -> PaymentOutcome:
    with transaction.atomic():
        session = _locked_session(payment.order.checkout_session_id)
        payment = Payment.objects.select_related("order").get(pk=payment.pk)
        order = payment.order
        if payment.status != PaymentStatus.PENDING:  # recorded by a resumed twin already
            return PaymentOutcome(order, payment, payment.status == PaymentStatus.SUCCEEDED)
        payment.processor_reference = result.reference
        if result.succeeded:
            now = timezone.now()
            payment.status = PaymentStatus.SUCCEEDED
            order.status = (
                OrderStatus.ACTIVE
                if order.product_type == ProductType.SUBSCRIPTION
                else OrderStatus.COMPLETED
            )
            order.completed_at = now
            order.save(update_fields=["status", "completed_at", "updated_at"])
            session.status, session.completed_at = SessionStatus.COMPLETED, now
            session.save(update_fields=["status", "completed_at"])
            if session.partner_id:
                basket_complete(session=session)
        else:
            payment.status = PaymentStatus.FAILED
            payment.failure_code = result.failure_code
            payment.failure_message = result.failure_message
        payment.save()
    return PaymentOutcome(order, payment, result.succeeded)


def checkout_pay(
    *,
    session: CheckoutSession,
    billing: BillingDetail,
    card: processors.Card,
    buyer_email: str = "",
    buyer_identity: str = "",
) -> PaymentOutcome:
    """Pay a session once. Repeats after success return the first outcome unchanged."""
    claimed = _claim_payment(
        session_id=session.pk,
        billing=billing,
        card=card,
        buyer_email=buyer_email,
        buyer_identity=buyer_identity,
    )
    if claimed.already_completed:
        return claimed
    processor = processors.processor_for(session.environment, settings.PAYMENT_PROCESSORS)
    result = processor.charge(
        amount_minor=claimed.payment.amount_minor,
        currency=claimed.payment.currency,
        card=card,
        idempotency_key=claimed.payment.public_id,
    )
    return _record(payment=claimed.payment, result=result)
