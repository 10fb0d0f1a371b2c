"""Orders (one-time and subscription), their lines and their payments.

Money leaves as display strings in the order's currency; statuses are the SDK's lowercase
strings. Lines and payments come from what the list query prefetched."""

import strawberry
from django.core.exceptions import ObjectDoesNotExist

from catalog.models import ProductType
from core.timefmt import iso_utc
from graphql_api.types.catalog import OnetimeProduct, SubscriptionProduct, product_node
from graphql_api.types.order_parts import (
    AmountDetails,
    BillingDetail,
    CardInfo,
    OrderLine,
    PaymentRefund,
    PhaseAmounts,
    PriceSnapshot,
    ProductVersionRef,
    RequestedAmount,
    SubscriptionPriceSnapshot,
    billing_detail,
    money,
    product_line,
)
from graphql_api.types.stores import Store
from orders import models
from payments.models import Payment as PaymentRow
from subscriptions.selectors import trial_phases


@strawberry.interface
class Order:
    row: strawberry.Private[models.Order]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.public_id)

    @strawberry.field
    def store_id(self) -> str:
        return self.row.store.public_id

    @strawberry.field
    def store(self) -> Store:
        return Store(row=self.row.store)

    @strawberry.field
    def buyer_email(self) -> str:
        return self.row.buyer_email

    @strawberry.field
    def currency(self) -> str:
        return self.row.currency

    @strawberry.field
    def status(self) -> str:
        return self.row.status

    @strawberry.field
    def test_mode(self) -> bool:
        return self.row.environment == "test"

    @strawberry.field
    def order_merchant_external_id(self) -> str | None:
        return self.row.order_merchant_external_id or None

    @strawberry.field
    def billing_detail(self) -> BillingDetail:
        return billing_detail(self.row)

    @strawberry.field
    def lines(self) -> list[OrderLine]:
        return [OrderLine(row=line, currency=self.row.currency) for line in self.row.lines.all()]

    @strawberry.field
    def product_version(self) -> ProductVersionRef | None:
        line = product_line(self.row)
        if line is None or line.product_version is None:
            return None
        version = line.product_version
        return ProductVersionRef(
            id=strawberry.ID(str(version.pk)), version_number=version.number, name=version.name
        )

    @strawberry.field
    def payments(self) -> list["Payment"]:
        return [Payment(row=payment) for payment in self.row.payments.all()]

    @strawberry.field
    def canceled_at(self) -> str | None:
        return iso_utc(self.row.canceled_at)

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)

    @strawberry.field
    def updated_at(self) -> str:
        return iso_utc(self.row.updated_at)

    def _product_node(self):
        line = product_line(self.row)
        if line is None:
            return None
        return product_node(line.product, self.row.environment, version=line.product_version)

    def _amounts(self) -> dict:
        line = product_line(self.row)
        return {
            "subtotal": money(self.row.subtotal_minor, self.row.currency),
            "tax_amount": money(self.row.tax_minor, self.row.currency),
            "total": money(self.row.total_minor, self.row.currency),
            "tax_category": line.tax_category if line else None,
        }


@strawberry.type
class OnetimeOrder(Order):
    @strawberry.field
    def price_snapshot(self) -> PriceSnapshot:
        return PriceSnapshot(currency=self.row.currency, **self._amounts())

    @strawberry.field
    def onetime_product(self) -> OnetimeProduct | None:
        return self._product_node()


@strawberry.type
class SubscriptionOrder(Order):
    @strawberry.field(
        description="A trial: specialPhase is what the trial charged for specialPhaseDays "
        "days, regularPhase the plan price every later period pays."
    )
    def price_snapshot(self) -> SubscriptionPriceSnapshot:
        charged = PhaseAmounts(**self._amounts())
        phases = trial_phases(subscription=_subscription(self.row)) if self.row.with_trial else None
        if phases is None:
            return SubscriptionPriceSnapshot(
                currency=self.row.currency,
                regular_phase=charged,
                special_phase=None,
                special_phase_days=None,
            )
        regular = phases.regular
        return SubscriptionPriceSnapshot(
            currency=self.row.currency,
            regular_phase=PhaseAmounts(
                subtotal=money(regular.subtotal_minor, regular.currency),
                tax_amount=money(regular.tax_minor, regular.currency),
                total=money(regular.total_minor, regular.currency),
                tax_category=charged.tax_category,
            ),
            special_phase=charged,
            special_phase_days=phases.days,
        )

    @strawberry.field(description="The plan the subscription is on now (a plan change moves it).")
    def subscription_product(self) -> SubscriptionProduct | None:
        subscription = _subscription(self.row)
        if subscription is None:
            return self._product_node()
        version = subscription.product_version
        return product_node(version.product, self.row.environment, version=version)

    @strawberry.field
    def billing_period(self) -> str | None:
        subscription = _subscription(self.row)
        if subscription is not None:
            return subscription.billing_period
        line = product_line(self.row)
        version = line.product_version if line else None
        return version.billing_period if version else None

    @strawberry.field(description="Null until the first payment started the subscription.")
    def current_period_start(self) -> str | None:
        subscription = _subscription(self.row)
        return iso_utc(subscription.current_period_start) if subscription else None

    @strawberry.field(description="Null until the first payment started the subscription.")
    def current_period_end(self) -> str | None:
        subscription = _subscription(self.row)
        return iso_utc(subscription.current_period_end) if subscription else None


def _phase(order: models.Order, payment: PaymentRow) -> str | None:
    """A subscription's charge: ``special`` for what a trial's first period charged, else
    ``regular``; a one-time order's has no phase."""
    if order.product_type != ProductType.SUBSCRIPTION:
        return None
    return "special" if order.with_trial and payment.period == 1 else "regular"


def _subscription(order: models.Order):
    try:
        return order.subscription
    except ObjectDoesNotExist:
        return None


def order_node(order: models.Order) -> OnetimeOrder | SubscriptionOrder:
    kind = SubscriptionOrder if order.product_type == ProductType.SUBSCRIPTION else OnetimeOrder
    return kind(row=order)


@strawberry.type
class Payment:
    row: strawberry.Private[PaymentRow]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.public_id)

    @strawberry.field(description="pending | succeeded | failed | canceled")
    def status(self) -> str:
        return self.row.status

    @strawberry.field(
        description="The status of the payment's latest refund (processing | succeeded | "
        "failed); null when it has none."
    )
    def refund_status(self) -> str | None:
        refunds = self.row.refunds.all()
        return max(refunds, key=lambda refund: refund.created_at).status if refunds else None

    @strawberry.field
    def order_id(self) -> str:
        return self.row.order.public_id

    @strawberry.field
    def order_merchant_external_id(self) -> str | None:
        return self.row.order.order_merchant_external_id or None

    @strawberry.field
    def currency(self) -> str:
        return self.row.currency

    @strawberry.field
    def amount(self) -> str:
        return money(self.row.amount_minor, self.row.currency)

    @strawberry.field
    def snapshot_amount_details(self) -> AmountDetails:
        order, payment = self.row.order, self.row
        line = product_line(order)
        subtotal, tax, total = order.subtotal_minor, order.tax_minor, order.total_minor
        if payment.period != 1:  # a renewal or a plan change: what this charge was
            subtotal, tax, total = (
                payment.amount_minor - payment.tax_minor,
                payment.tax_minor,
                payment.amount_minor,
            )
        return AmountDetails(
            currency=order.currency,
            subtotal=money(subtotal, order.currency),
            tax_amount=money(tax, order.currency),
            total=money(total, order.currency),
            tax_category=line.tax_category if line else None,
            phase=_phase(order, payment),
        )

    @strawberry.field
    def card_info(self) -> CardInfo | None:
        row, method = self.row, self.row.payment_method
        if not row.card_brand and not row.card_last4 and method is None:
            return None
        return CardInfo(
            brand=row.card_brand or (method.brand if method else None),
            last4=row.card_last4 or (method.last4 if method else None),
            exp_month=method.exp_month if method else None,
            exp_year=method.exp_year if method else None,
        )

    @strawberry.field
    def failure_reason(self) -> str | None:
        return self.row.failure_message or self.row.failure_code or None

    @strawberry.field
    def refunds(self) -> list[PaymentRefund]:
        return [
            PaymentRefund(
                id=strawberry.ID(refund.public_id),
                status=refund.status,
                requested_amount_details=RequestedAmount(
                    currency=refund.currency, amount=money(refund.amount_minor, refund.currency)
                ),
                created_at=iso_utc(refund.created_at),
            )
            for refund in sorted(self.row.refunds.all(), key=lambda refund: refund.created_at)
        ]

    @strawberry.field
    def onetime_order(self) -> OnetimeOrder | None:
        order = self.row.order
        return OnetimeOrder(row=order) if order.product_type == ProductType.ONETIME else None

    @strawberry.field
    def subscription_order(self) -> SubscriptionOrder | None:
        order = self.row.order
        is_subscription = order.product_type == ProductType.SUBSCRIPTION
        return SubscriptionOrder(row=order) if is_subscription else None

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)

    @strawberry.field
    def updated_at(self) -> str:
        return iso_utc(self.row.updated_at)
