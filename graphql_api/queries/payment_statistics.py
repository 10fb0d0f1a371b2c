"""``paymentStatistics``: success rates, failure reasons, refunds, card brands and tax of one
store's payments, in the key's environment (the payments of the orders
``orders.selectors.orders_for_merchant`` scopes).

Two sets, each dated by what it is about: ``successRate`` and ``failedReasons`` are about
attempts, so they count the attempts made in the range (``created_at``; a pending one has
not resolved); every money figure, and the refunds of it, is the range's revenue
(``payments.revenue.revenue_payments``: what succeeded in the range, renewals and
plan-change charges included, each with the tax it was charged with). Rates are
percentages (0 to 100, two decimals)."""

import strawberry
from django.db.models import Count, F, Q, Sum
from strawberry.types import Info

from core.money import format_amount
from graphql_api import sales
from graphql_api.queries.orders import merchant_orders
from graphql_api.queries.statistics import AnalyticsFilterInput, CurrencyRevenue, time_range
from graphql_api.scope import analytics_store
from payments import revenue
from payments.models import Payment, PaymentStatus, Refund, RefundStatus


@strawberry.type
class SuccessRate:
    total_attempts: int
    succeeded: int
    failed: int
    pending: int
    success_rate: float


@strawberry.type
class FailedReason:
    reason: str
    count: int
    percentage: float


@strawberry.type
class RefundStatistics:
    total_count: int
    succeeded_count: int
    pending_count: int
    failed_count: int
    amount_by_currency: list[CurrencyRevenue]
    refund_rate: float


@strawberry.type
class BrandShare:
    brand: str
    count: int
    total_amount: str | None
    percentage: float


@strawberry.type
class MethodShare:
    method_type: str
    count: int
    total_amount: str | None
    percentage: float


@strawberry.type
class TaxSummary:
    currency: str
    total_tax: str
    total_pre_tax: str
    total_amount: str
    payment_count: int


def _by_currency(payments, amount) -> list[CurrencyRevenue]:
    rows = (
        payments.values("currency")
        .annotate(total=Sum(amount), count=Count("pk"))
        .order_by("currency")
    )
    return [
        CurrencyRevenue(
            currency=row["currency"],
            total_amount=format_amount(row["total"], row["currency"]),
            payment_count=row["count"],
        )
        for row in rows
    ]


@strawberry.type
class PaymentStatistics:
    payments: strawberry.Private[object]  # attempts made in the range
    paid: strawberry.Private[object]  # revenue of the range
    currency: strawberry.Private[str | None]

    @strawberry.field
    def success_rate(self) -> SuccessRate:
        counts = self.payments.aggregate(
            total=Count("pk"),
            succeeded=Count("pk", filter=Q(status=PaymentStatus.SUCCEEDED)),
            failed=Count("pk", filter=Q(status=PaymentStatus.FAILED)),
            pending=Count("pk", filter=Q(status=PaymentStatus.PENDING)),
        )
        return SuccessRate(
            total_attempts=counts["total"],
            succeeded=counts["succeeded"],
            failed=counts["failed"],
            pending=counts["pending"],
            success_rate=sales.percent(counts["succeeded"], counts["total"]),
        )

    @strawberry.field(description="Declines by the processor's code (else its message).")
    def failed_reasons(self) -> list[FailedReason]:
        rows = list(
            self.payments.filter(status=PaymentStatus.FAILED)
            .values("failure_code", "failure_message")
            .annotate(count=Count("pk"))
            .order_by("-count", "failure_code")
        )
        whole = sum(row["count"] for row in rows)
        return [
            FailedReason(
                reason=row["failure_code"] or row["failure_message"] or "unknown",
                count=row["count"],
                percentage=sales.percent(row["count"], whole),
            )
            for row in rows
        ]

    @strawberry.field(
        description="Refunds of the range's revenue; refundRate: refunded payments per paid one."
    )
    def refunds(self) -> RefundStatistics:
        refunds = Refund.objects.filter(payment__in=self.paid.values("pk")).order_by()
        counts = refunds.aggregate(
            total=Count("pk"),
            succeeded=Count("pk", filter=Q(status=RefundStatus.SUCCEEDED)),
            pending=Count("pk", filter=Q(status=RefundStatus.PROCESSING)),
            failed=Count("pk", filter=Q(status=RefundStatus.FAILED)),
            refunded=Count("payment", filter=Q(status=RefundStatus.SUCCEEDED), distinct=True),
        )
        succeeded = refunds.filter(status=RefundStatus.SUCCEEDED)
        return RefundStatistics(
            total_count=counts["total"],
            succeeded_count=counts["succeeded"],
            pending_count=counts["pending"],
            failed_count=counts["failed"],
            amount_by_currency=_by_currency(succeeded, "amount_minor"),
            refund_rate=sales.percent(counts["refunded"], self.paid.count()),
        )

    @strawberry.field
    def card_brand_distribution(self, currency: str | None = None) -> list[BrandShare]:
        currency = (currency or self.currency or "").upper() or None
        payments = self.paid.filter(currency=currency) if currency else self.paid
        rows = list(
            payments.values("card_brand")
            .annotate(count=Count("pk"), total=Sum("amount_minor"))
            .order_by("-count")
        )
        whole = sum(row["count"] for row in rows)
        return [
            BrandShare(
                brand=row["card_brand"] or "unknown",
                count=row["count"],
                total_amount=format_amount(row["total"], currency) if currency else None,
                percentage=sales.percent(row["count"], whole),
            )
            for row in rows
        ]

    @strawberry.field
    def tax_summary(self) -> list[TaxSummary]:
        rows = (
            self.paid.values("currency")
            .annotate(tax=Sum("tax_minor"), total=Sum("amount_minor"), count=Count("pk"))
            .order_by("currency")
        )
        return [
            TaxSummary(
                currency=row["currency"],
                total_tax=format_amount(row["tax"], row["currency"]),
                total_pre_tax=format_amount(row["total"] - row["tax"], row["currency"]),
                total_amount=format_amount(row["total"], row["currency"]),
                payment_count=row["count"],
            )
            for row in rows
        ]

    @strawberry.field
    def pre_tax_revenue_by_currency(self) -> list[CurrencyRevenue]:
        return _by_currency(self.paid, F("amount_minor") - F("tax_minor"))

    @strawberry.field(description="Succeeded payments by kind of method; amounts per currency.")
    def method_distribution(self) -> list[MethodShare]:
        rows = revenue.method_counts(payments=self.paid)
        kinds: dict[str, list[dict]] = {}
        for row in rows:
            kinds.setdefault(row["kind"], []).append(row)
        whole = sum(row["count"] for row in rows)
        shares = []
        for kind, parts in kinds.items():
            count = sum(part["count"] for part in parts)
            single = parts[0]["currency"] if len(parts) == 1 else None
            shares.append(
                MethodShare(
                    method_type=kind,
                    count=count,
                    total_amount=format_amount(parts[0]["total"], single) if single else None,
                    percentage=sales.percent(count, whole),
                )
            )
        return sorted(shares, key=lambda share: (-share.count, share.method_type))

    @strawberry.field(
        description="Owed to the merchant: succeeded charges less their tax, less succeeded "
        "refunds of them less their tax part (no platform fees)."
    )
    def settlement_revenue_by_currency(self) -> list[CurrencyRevenue]:
        return [
            CurrencyRevenue(
                currency=currency,
                total_amount=format_amount(owed, currency),
                payment_count=count,
            )
            for currency, owed, count in revenue.settlement_by_currency(payments=self.paid)
        ]


@strawberry.type
class PaymentStatisticsQueries:
    @strawberry.field
    def payment_statistics(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> PaymentStatistics:
        start, end = time_range(filter)
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        orders = merchant_orders(info).filter(store)
        payments = Payment.objects.filter(
            order__in=orders.values("pk"), created_at__gte=start, created_at__lt=end
        ).order_by()
        paid = revenue.revenue_payments(
            orders=orders, currency=filter.currency, since=start, until=end
        )
        if filter.currency:
            payments = payments.filter(currency=filter.currency.upper())
        if filter.status:
            payments = payments.filter(status=filter.status)
            paid = paid.filter(status=filter.status)
        return PaymentStatistics(payments=payments, paid=paid, currency=filter.currency)
