"""``refundTicketAnalysis``: reasons, statuses, review times, approvals and how refunds went,
over one store's refund tickets opened in the range, in the key's environment (the tickets
``payments.refund_selectors.tickets_for_merchant`` scopes). Rates are percentages (0 to
100, two decimals); review hours run from a ticket's opening to its review."""

from statistics import median, quantiles

import strawberry
from django.db.models import Count, Q, Sum
from strawberry.types import Info

from core.money import format_amount
from graphql_api import sales
from graphql_api.periods import TimePeriodGranularity, periods
from graphql_api.queries.statistics import AnalyticsFilterInput, StatusCount, time_range
from graphql_api.scope import analytics_store, scope_of
from payments import refund_selectors
from payments.models import RefundTicketStatus as Status

# Approved by the reviewer: whatever became of the money afterwards.
APPROVED = (Status.APPROVED, Status.PROCESSING, Status.SUCCEEDED, Status.FAILED)


@strawberry.type
class ReasonShare:
    reason: str
    count: int
    total_amount: str | None
    percentage: float


@strawberry.type
class StatusShare(StatusCount):
    percentage: float


@strawberry.type
class ReviewEfficiency:
    avg_hours: float | None
    median_hours: float | None
    p90_hours: float | None
    total_reviewed: int


@strawberry.type
class TicketPeriod:
    period: str
    total_created: int
    resolved_count: int
    approved_count: int
    rejected_count: int


@strawberry.type
class ApprovalRate:
    approved: int
    rejected: int
    rate: float


@strawberry.type
class ProcessingSuccessRate:
    succeeded: int
    failed: int
    rate: float


def _hours(tickets) -> list[float]:
    return [
        (reviewed - opened).total_seconds() / 3600
        for opened, reviewed in tickets.filter(reviewed_at__isnull=False).values_list(
            "created_at", "reviewed_at"
        )
    ]


@strawberry.type
class RefundTicketAnalysis:
    tickets: strawberry.Private[object]
    start: strawberry.Private[object]
    end: strawberry.Private[object]
    currency: strawberry.Private[str | None]

    @strawberry.field
    def reason_distribution(self, currency: str | None = None) -> list[ReasonShare]:
        currency = (currency or self.currency or "").upper() or None
        tickets = (
            self.tickets.filter(current_version__currency=currency) if currency else self.tickets
        )
        rows = list(
            tickets.values("current_version__reason")
            .annotate(count=Count("pk"), amount=Sum("current_version__amount_minor"))
            .order_by("-count", "current_version__reason")
        )
        whole = sum(row["count"] for row in rows)
        return [
            ReasonShare(
                reason=row["current_version__reason"],
                count=row["count"],
                total_amount=format_amount(row["amount"], currency) if currency else None,
                percentage=sales.percent(row["count"], whole),
            )
            for row in rows
        ]

    @strawberry.field
    def status_distribution(self) -> list[StatusShare]:
        rows = list(self.tickets.values("status").annotate(count=Count("pk")).order_by("status"))
        whole = sum(row["count"] for row in rows)
        return [
            StatusShare(
                status=row["status"],
                count=row["count"],
                percentage=sales.percent(row["count"], whole),
            )
            for row in rows
        ]

    @strawberry.field
    def review_efficiency(self) -> ReviewEfficiency:
        hours = _hours(self.tickets)
        p90 = quantiles(hours, n=10, method="inclusive")[-1] if len(hours) > 1 else None
        return ReviewEfficiency(
            avg_hours=round(sum(hours) / len(hours), 2) if hours else None,
            median_hours=round(median(hours), 2) if hours else None,
            p90_hours=round(p90, 2) if p90 is not None else (round(hours[0], 2) if hours else None),
            total_reviewed=len(hours),
        )

    @strawberry.field
    def ticket_trend(self, granularity: TimePeriodGranularity) -> list[TicketPeriod]:
        buckets = periods(self.start, self.end, granularity)
        aggregates = {}
        for index, (_, since, until) in enumerate(buckets):
            opened = Q(created_at__gte=since, created_at__lt=until)
            aggregates[f"all{index}"] = Count("pk", filter=opened)
            aggregates[f"done{index}"] = Count("pk", filter=opened & Q(reviewed_at__isnull=False))
            aggregates[f"yes{index}"] = Count("pk", filter=opened & Q(status__in=APPROVED))
            aggregates[f"no{index}"] = Count("pk", filter=opened & Q(status=Status.REJECTED))
        counts = self.tickets.order_by().aggregate(**aggregates)
        return [
            TicketPeriod(
                period=name,
                total_created=counts[f"all{index}"],
                resolved_count=counts[f"done{index}"],
                approved_count=counts[f"yes{index}"],
                rejected_count=counts[f"no{index}"],
            )
            for index, (name, _, _) in enumerate(buckets)
        ]

    @strawberry.field
    def approval_rate(self) -> ApprovalRate:
        counts = self.tickets.order_by().aggregate(
            approved=Count("pk", filter=Q(status__in=APPROVED)),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        )
        decided = counts["approved"] + counts["rejected"]
        return ApprovalRate(**counts, rate=sales.percent(counts["approved"], decided))

    @strawberry.field(description="Of approved tickets whose refund finished: paid back or not.")
    def processing_success_rate(self) -> ProcessingSuccessRate:
        counts = self.tickets.order_by().aggregate(
            succeeded=Count("pk", filter=Q(status=Status.SUCCEEDED)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
        )
        finished = counts["succeeded"] + counts["failed"]
        return ProcessingSuccessRate(**counts, rate=sales.percent(counts["succeeded"], finished))


@strawberry.type
class RefundAnalysisQueries:
    @strawberry.field
    def refund_ticket_analysis(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> RefundTicketAnalysis:
        start, end = time_range(filter)
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        scope = scope_of(info)
        tickets = refund_selectors.tickets_for_merchant(
            merchant_id=scope.merchant_id, environment=scope.environment
        ).filter(store, created_at__gte=start, created_at__lt=end)
        if filter.status:
            tickets = tickets.filter(status=filter.status)
        return RefundTicketAnalysis(
            tickets=tickets.select_related(None).order_by(),
            start=start,
            end=end,
            currency=filter.currency,
        )
