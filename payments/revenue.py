"""Revenue, the one rule the dashboard and every GraphQL analytics query read it by, and the
aggregations over it.

Revenue is money that moved: a succeeded payment (an order's checkout payment, each renewal
and each plan-change charge), dated when it succeeded (``resolved_at``), never when the
attempt was created: a charge started on the 31st that succeeds on the 1st is the 1st's
money. Pending, failed and canceled attempts are not revenue. Each payment carries the tax
it was charged with (``Payment.tax_minor``); refunds are not netted here.

Jurisdiction is the order's ``tax_country`` / ``tax_region``: what ``checkout.tax`` taxed
the order in, and what ``ordersByCountry`` groups by. Business buyers are the ones whose
billing detail says ``isBusiness`` (what reverse charge is decided from)."""

from datetime import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from orders.models import Order
from payments.models import Payment, PaymentStatus, Refund, RefundStatus

BUSINESS = Q(order__billing_detail__isBusiness=True)


def paid_between(since: datetime | None, until: datetime | None) -> Q:
    """Revenue of [since, until): by the moment the money moved; an open end is no bound."""
    bounds = Q()
    if since is not None:
        bounds &= Q(resolved_at__gte=since)
    if until is not None:
        bounds &= Q(resolved_at__lt=until)
    return bounds


def revenue_payments(
    *,
    orders: QuerySet[Order],
    currency: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Payment]:
    """The payments of ``orders`` that are revenue, of ``currency`` (any case) when given,
    that succeeded in [since, until) (any time when a bound is left out)."""
    payments = Payment.objects.filter(
        order__in=orders.values("pk"), status=PaymentStatus.SUCCEEDED, resolved_at__isnull=False
    ).filter(paid_between(since, until))
    if currency:
        payments = payments.filter(currency=currency.upper())
    return payments.order_by()


def totals_by(*, payments: QuerySet[Payment], key: str) -> list[dict]:
    """Per ``key`` value: ``total`` charged, ``tax`` in it and ``count`` of payments."""
    return list(
        payments.values(key, "currency")
        .annotate(total=Sum("amount_minor"), tax=Sum("tax_minor"), count=Count("pk"))
        .order_by("currency", "-total", key)
    )


def totals_by_period(*, payments: QuerySet[Payment], buckets: list) -> list[dict]:
    """One aggregate per (period, currency), by when the money moved; one statement."""
    sums = {}
    for index, (_, since, until) in enumerate(buckets):
        within = paid_between(since, until)
        sums[f"t{index}"] = Sum("amount_minor", filter=within)
        sums[f"x{index}"] = Sum("tax_minor", filter=within)
        sums[f"c{index}"] = Count("pk", filter=within)
    rows = payments.values("currency").annotate(**sums).order_by("currency")
    return [
        {
            "period": name,
            "currency": row["currency"],
            "total": row[f"t{index}"] or 0,
            "tax": row[f"x{index}"] or 0,
            "count": row[f"c{index}"],
        }
        for row in rows
        for index, (name, _, _) in enumerate(buckets)
    ]


def business_split(*, payments: QuerySet[Payment]) -> list[dict]:
    """Business then consumer: totals, tax and distinct orders paid."""
    rows = []
    for is_business, condition in ((True, BUSINESS), (False, ~BUSINESS)):
        part = payments.filter(condition).aggregate(
            total=Sum("amount_minor"), tax=Sum("tax_minor"), orders=Count("order", distinct=True)
        )
        rows.append(
            {
                "is_business": is_business,
                "total": part["total"] or 0,
                "tax": part["tax"] or 0,
                "orders": part["orders"],
            }
        )
    return rows


def method_counts(*, payments: QuerySet[Payment]) -> list[dict]:
    """By the kind of method charged: a payment that carries a card's last digits was a
    card (the only kind the processors take today); one without is ``unknown``."""
    kind = Case(
        When(card_last4="", then=Value("unknown")),
        default=Value("card"),
        output_field=CharField(),
    )
    return list(
        payments.annotate(kind=kind)
        .values("kind", "currency")
        .annotate(count=Count("pk"), total=Sum("amount_minor"))
        .order_by("kind", "currency")
    )


def settlement_by_currency(*, payments: QuerySet[Payment]) -> list[tuple[str, int, int]]:
    """(currency, owed in minor units, payments): what the merchant of record owes the
    merchant: succeeded charges net of the tax collected in them, less the succeeded
    refunds of those charges net of their tax part. There are no platform fees."""
    charged = {
        row["currency"]: row
        for row in payments.values("currency").annotate(
            net=Sum(F("amount_minor") - F("tax_minor")), count=Count("pk")
        )
    }
    refunded = {
        row["currency"]: row["net"]
        for row in Refund.objects.filter(
            payment__in=payments.values("pk"), status=RefundStatus.SUCCEEDED
        )
        .order_by()
        .values("currency")
        .annotate(net=Sum(F("amount_minor") - F("tax_minor")))
    }
    return [
        (currency, row["net"] - (refunded.get(currency) or 0), row["count"])
        for currency, row in sorted(charged.items())
    ]


def tax_by_category(*, payments: QuerySet[Payment]) -> list[dict]:
    """Per tax category and currency, renewals and plan-change charges included (tax is
    collected on them too). A payment has no lines of its own, so each is split over its
    order's lines: its tax in the lines' shares of the order's tax, its amount in their
    shares of the order's total (equal shares where the order's is zero, as a trial's
    checkout may be). The checkout payment so counts its lines exactly, and every
    payment's parts add up to it exactly (``_split``), so the categories sum to what
    ``byCountry`` shows. ``count`` is payments. One statement, streamed."""
    rows = (
        payments.filter(order__lines__isnull=False)
        .values(
            "pk",
            "currency",
            "amount_minor",
            "tax_minor",
            "order__lines__tax_category",
            "order__lines__tax_minor",
            "order__lines__total_minor",
        )
        .order_by("pk", "order__lines__position")
    )
    sums: dict[tuple[str, str], dict] = {}

    def add(payment: dict, lines: list[dict]) -> None:
        taxes = _split(payment["tax_minor"], [line["order__lines__tax_minor"] for line in lines])
        totals = _split(
            payment["amount_minor"], [line["order__lines__total_minor"] for line in lines]
        )
        categories = {line["order__lines__tax_category"] for line in lines}
        for line, tax, total in zip(lines, taxes, totals, strict=True):
            key = (payment["currency"], line["order__lines__tax_category"])
            row = sums.setdefault(
                key, {"tax_category": key[1], "currency": key[0], "tax": 0, "total": 0, "count": 0}
            )
            row["tax"] += tax
            row["total"] += total
        for category in categories:
            sums[(payment["currency"], category)]["count"] += 1

    lines: list[dict] = []
    for row in rows.iterator():
        if lines and lines[0]["pk"] != row["pk"]:
            add(lines[0], lines)
            lines = []
        lines.append(row)
    if lines:
        add(lines[0], lines)
    return sorted(sums.values(), key=lambda r: (r["currency"], -r["tax"], r["tax_category"]))


def _split(amount: int, weights: list[int]) -> list[int]:
    """``amount`` in parts proportional to ``weights`` (equal parts if they sum to zero),
    each the difference of two rounded-down running shares, so the parts always add up to
    ``amount`` exactly and a part whose weight is its whole share is exact."""
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole, running, before, parts = sum(weights), 0, 0, []
    for weight in weights:
        running += weight
        share = amount * running // whole
        parts.append(share - before)
        before = share
    return parts
