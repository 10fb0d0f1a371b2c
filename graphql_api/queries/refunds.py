"""Refund tickets and refunds of the merchant's stores in the key's environment (the
selectors' scope; filters only narrow it)."""

import strawberry
from django.db.models import Prefetch
from strawberry.types import Info

from graphql_api.filters import RefundFilter, RefundTicketFilter, apply_filter
from graphql_api.scope import decode_id, maybe_id, page, scope_of
from graphql_api.types.refunds import Refund, RefundTicket
from orders.selectors import order_lines
from payments import refund_selectors as selectors


def _tickets(info: Info, store_id: str | None, ticket_filter):
    scope = scope_of(info)
    tickets = selectors.tickets_for_merchant(
        merchant_id=scope.merchant_id, environment=scope.environment
    )
    if store_id is not None:
        tickets = tickets.filter(store_id=decode_id("STO", store_id))
    return apply_filter(tickets, ticket_filter)


def _with_payment_details(tickets):
    lines = Prefetch("payment__order__lines", queryset=order_lines())
    return tickets.prefetch_related(lines, "payment__refunds").select_related(
        "payment__payment_method"
    )


def _refunds(info: Info, store_id: str | None, refund_filter):
    scope = scope_of(info)
    refunds = selectors.refunds_for_merchant(
        merchant_id=scope.merchant_id, environment=scope.environment
    )
    if store_id is not None:
        refunds = refunds.filter(store_id=decode_id("STO", store_id))
    return apply_filter(refunds, refund_filter)


@strawberry.type
class RefundQueries:
    @strawberry.field
    def refund_tickets(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: RefundTicketFilter | None = None,
    ) -> list[RefundTicket]:
        tickets = _with_payment_details(_tickets(info, store_id, filter)).order_by("-created_at")
        return [RefundTicket(row=row) for row in page(tickets, limit=limit, offset=offset)]

    @strawberry.field
    def refund_tickets_count(
        self, info: Info, store_id: str | None = None, filter: RefundTicketFilter | None = None
    ) -> int:
        return _tickets(info, store_id, filter).count()

    @strawberry.field
    def refund_ticket(self, info: Info, id: strawberry.ID) -> RefundTicket | None:
        pk = maybe_id("TKT", id)
        row = (
            _with_payment_details(_tickets(info, None, None)).filter(pk=pk).first() if pk else None
        )
        return RefundTicket(row=row) if row else None

    @strawberry.field
    def refunds(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: RefundFilter | None = None,
    ) -> list[Refund]:
        refunds = _refunds(info, store_id, filter).order_by("-created_at")
        return [Refund(row=row) for row in page(refunds, limit=limit, offset=offset)]

    @strawberry.field
    def refunds_count(
        self, info: Info, store_id: str | None = None, filter: RefundFilter | None = None
    ) -> int:
        return _refunds(info, store_id, filter).count()

    @strawberry.field
    def refund(self, info: Info, id: strawberry.ID) -> Refund | None:
        pk = maybe_id("REF", id)
        row = _refunds(info, None, None).filter(pk=pk).first() if pk else None
        return Refund(row=row) if row else None
