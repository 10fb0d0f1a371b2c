"""Revenue and tax aggregations the GraphQL analytics read: always over succeeded payments
(renewals and plan-change charges included), as ``dashboard.selectors.paid_payments`` sums
revenue and tax, each payment with the tax it was charged with (``Payment.tax_minor``).

Jurisdiction is the order's ``tax_country`` / ``tax_region``: what ``checkout.tax`` taxed
the order in, and what ``ordersByCountry`` groups by. Business buyers are the ones whose
billing detail says ``isBusiness`` (what reverse charge is decided from)."""

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When

from orders.models import OrderLine
from payments.models import Payment, PaymentStatus, Refund, RefundStatus

BUSINESS = Q(order__billing_detail__isBusiness=True)


def succeeded(*, payments: QuerySet[Payment], currency: str | None) -> QuerySet[Payment]:
    """The succeeded ones, of ``currency`` (any case) when one is asked for."""
    payments = payments.filter(status=PaymentStatus.SUCCEEDED).order_by()
    return payments.filter(currency=currency.upper()) if currency else payments


def totals_by(*, payments: QuerySet[Payment], key: str) -> list[dict]:
    """Per ``key`` value: ``total`` charged, ``tax`` in it and ``count`` of payments."""
    return list(
        payments.values(key, "currency")
        .annotate(total=Sum("amount_minor"), tax=Sum("tax_minor"), count=Count("pk"))
        .order_by("currency", "-total", key)
    )


def totals_by_period(*, payments: QuerySet[Payment], buckets: list) -> list[dict]:
    """One aggregate per (period, currency), by when the payment was made; one statement."""
    sums = {}
    for index, (_, since, until) in enumerate(buckets):
        within = Q(created_at__gte=since, created_at__lt=until)
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
    """Per tax category, from the order lines of the orders' first (checkout) payments:
    a line carries its share of the order's tax, a renewal does not split by line, so
    renewals are counted in the other groupings only."""
    checkout = payments.filter(period=1).values("order_id")
    return list(
        OrderLine.objects.filter(order_id__in=checkout)
        .order_by()
        .values("tax_category", "order__currency")
        .annotate(
            tax=Sum("tax_minor"), total=Sum("total_minor"), count=Count("order", distinct=True)
        )
        .order_by("order__currency", "-tax", "tax_category")
    )
