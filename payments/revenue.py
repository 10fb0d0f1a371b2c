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
    BigIntegerField,
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
    collected on them too). A line carries its share of its order's tax, so each payment
    of the order is split over the order's lines in that proportion: the checkout payment
    counts its lines exactly, a later charge (which has no lines of its own) is spread the
    same way, to the minor unit rounded down. ``count`` is payments. One statement."""
    tax_share = Case(
        When(order__tax_minor=0, then=Value(0)),
        default=F("tax_minor") * F("order__lines__tax_minor") / F("order__tax_minor"),
        output_field=BigIntegerField(),
    )
    total_share = Case(
        When(order__total_minor=0, then=Value(0)),
        default=F("amount_minor") * F("order__lines__total_minor") / F("order__total_minor"),
        output_field=BigIntegerField(),
    )
    return list(
        payments.filter(order__lines__isnull=False)
        .values("order__lines__tax_category", "currency")
        .annotate(tax=Sum(tax_share), total=Sum(total_share), count=Count("pk", distinct=True))
        .order_by("currency", "-tax", "order__lines__tax_category")
    )
