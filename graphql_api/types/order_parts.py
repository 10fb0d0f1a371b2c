"""The value types orders and payments show: amounts, billing detail, lines, cards, refunds.

Split from ``types.orders`` so each module stays one area; money leaves as display strings."""

import strawberry

from core.money import format_amount
from orders import models


def money(minor: int, currency: str) -> str:
    return format_amount(minor, currency)


def product_line(order: models.Order) -> models.OrderLine | None:
    return next((line for line in order.lines.all() if line.product_id), None)


@strawberry.type
class BillingDetail:
    country: str | None
    is_business: bool
    postcode: str | None
    state: str | None
    business_name: str | None
    tax_id: str | None


def billing_detail(order: models.Order) -> BillingDetail:
    detail = order.billing_detail or {}
    return BillingDetail(
        country=detail.get("country"),
        is_business=bool(detail.get("isBusiness")),
        postcode=detail.get("postcode"),
        state=detail.get("state"),
        business_name=detail.get("businessName"),
        tax_id=detail.get("taxId"),
    )


@strawberry.type
class PriceSnapshot:
    currency: str
    subtotal: str
    tax_amount: str
    total: str
    tax_category: str | None


@strawberry.type
class PhaseAmounts:
    subtotal: str
    tax_amount: str
    total: str
    tax_category: str | None


@strawberry.type
class SubscriptionPriceSnapshot:
    currency: str
    regular_phase: PhaseAmounts
    special_phase: PhaseAmounts | None
    special_phase_days: int | None


@strawberry.type
class OrderLine:
    row: strawberry.Private[models.OrderLine]
    currency: strawberry.Private[str]

    @strawberry.field(description="product | shipping")
    def kind(self) -> str:
        return self.row.kind

    @strawberry.field
    def product_id(self) -> str | None:
        return self.row.product.public_id if self.row.product_id else None

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def quantity(self) -> int:
        return self.row.quantity

    @strawberry.field
    def unit_amount(self) -> str:
        return money(self.row.unit_amount_minor, self.currency)

    @strawberry.field
    def subtotal(self) -> str:
        return money(self.row.subtotal_minor, self.currency)

    @strawberry.field
    def tax_amount(self) -> str:
        return money(self.row.tax_minor, self.currency)

    @strawberry.field
    def total(self) -> str:
        return money(self.row.total_minor, self.currency)

    @strawberry.field
    def tax_category(self) -> str:
        return self.row.tax_category


@strawberry.type
class ProductVersionRef:
    id: strawberry.ID
    version_number: int
    name: str


@strawberry.type
class CardInfo:
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


@strawberry.type
class AmountDetails:
    currency: str
    subtotal: str
    tax_amount: str
    total: str
    tax_category: str | None
    phase: str | None


@strawberry.type
class RequestedAmount:
    currency: str
    amount: str


@strawberry.type(description="A refund of a payment: processing | succeeded | failed.")
class PaymentRefund:
    id: strawberry.ID
    status: str
    requested_amount_details: RequestedAmount
    created_at: str
