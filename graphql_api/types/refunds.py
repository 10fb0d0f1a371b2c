"""Refund tickets and refunds, as the guide's queries read them."""

import strawberry

from core.timefmt import iso_utc
from graphql_api.types.order_parts import RequestedAmount
from graphql_api.types.order_parts import money as _money
from graphql_api.types.orders import Payment
from payments import models


def _requested(minor: int, currency: str) -> RequestedAmount:
    return RequestedAmount(currency=currency, amount=_money(minor, currency))


@strawberry.type
class PspAmountDetails:
    amount: str
    currency: str


@strawberry.type
class Refund:
    row: strawberry.Private[models.Refund]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.public_id)

    @strawberry.field(description="processing | succeeded | failed")
    def status(self) -> str:
        return self.row.status

    @strawberry.field
    def payment_id(self) -> str:
        return self.row.payment.public_id

    @strawberry.field
    def order_id(self) -> str:
        return self.row.order.public_id

    @strawberry.field
    def order_merchant_external_id(self) -> str | None:
        return self.row.order.order_merchant_external_id or None

    @strawberry.field
    def refund_ticket_merchant_external_id(self) -> str | None:
        return self.row.merchant_external_id or None

    @strawberry.field
    def requested_amount_details(self) -> RequestedAmount:
        return _requested(self.row.amount_minor, self.row.currency)

    @strawberry.field(description="What the processor gave back; null until it did.")
    def psp_amount_details(self) -> PspAmountDetails | None:
        if self.row.status != models.RefundStatus.SUCCEEDED:
            return None
        amount = _money(self.row.amount_minor, self.row.currency)
        return PspAmountDetails(amount=amount, currency=self.row.currency)

    @strawberry.field
    def tax_amount(self) -> str:
        return _money(self.row.tax_minor, self.row.currency)

    @strawberry.field
    def reason(self) -> str:
        return self.row.reason

    @strawberry.field
    def failure_reason(self) -> str | None:
        return self.row.failure_message or self.row.failure_code or None

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)

    @strawberry.field
    def executed_at(self) -> str | None:
        return iso_utc(self.row.executed_at)


@strawberry.type
class RefundTicket:
    row: strawberry.Private[models.RefundTicket]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.public_id)

    @strawberry.field(description="The SDK's RefundTicketStatus")
    def status(self) -> str:
        return self.row.status

    @strawberry.field
    def type(self) -> str:
        return self.row.type

    @strawberry.field
    def reason(self) -> str | None:
        version = self.row.current_version
        return version.reason if version else None

    @strawberry.field
    def requested_amount_details(self) -> RequestedAmount | None:
        version = self.row.current_version
        return _requested(version.amount_minor, version.currency) if version else None

    @strawberry.field
    def version_number(self) -> int | None:
        version = self.row.current_version
        return version.number if version else None

    @strawberry.field
    def submitter_type(self) -> str:
        return self.row.submitter_type

    @strawberry.field
    def refund_ticket_merchant_external_id(self) -> str | None:
        return self.row.merchant_external_id or None

    @strawberry.field
    def review_note(self) -> str | None:
        return self.row.review_note or None

    @strawberry.field
    def reject_reason(self) -> str | None:
        return self.row.reject_reason or None

    @strawberry.field
    def payment(self) -> Payment:
        return Payment(row=self.row.payment)

    @strawberry.field
    def reviewed_at(self) -> str | None:
        return iso_utc(self.row.reviewed_at)

    @strawberry.field
    def executed_at(self) -> str | None:
        return iso_utc(self.row.executed_at)

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)

    @strawberry.field
    def updated_at(self) -> str:
        return iso_utc(self.row.updated_at)
