"""``{% merchant_dashboard %}`` on the admin index: the business overview of the signed-in
merchant (every merchant's for platform staff), for the environment and period the index's
query string asks for (``?env=test|prod``, ``?days=30|90``)."""

from datetime import timedelta

from django import template

from core.money import format_amount
from dashboard import selectors, subscription_metrics
from dashboard.charts import bar_chart
from stores.admin_forms import merchant_of
from stores.models import Environment

register = template.Library()


def scope_for(request) -> selectors.Scope | None:
    """Whose figures the user may see: a merchant its own, platform staff everyone's,
    anybody else none."""
    user = request.user
    if user.is_superuser:
        merchant_id = None
    else:
        merchant = merchant_of(user)
        if merchant is None or not user.has_perm("orders.view_order"):
            return None
        merchant_id = merchant.pk
    environment = request.GET.get("env")
    if environment not in Environment.values:
        environment = selectors.default_environment(merchant_id=merchant_id)
    days = request.GET.get("days")
    days = int(days) if days in {str(p) for p in selectors.PERIODS} else selectors.PERIODS[0]
    return selectors.Scope(merchant_id=merchant_id, environment=environment, days=days)


def _charts(scope: selectors.Scope, series: list[selectors.Series]) -> list[dict]:
    days = [scope.first_day + timedelta(days=n) for n in range(scope.days)]
    charts = []
    for one in series:
        money = lambda minor, c=one.currency: f"{format_amount(minor, c)} {c}"  # noqa: E731
        for name, label, show in (
            ("revenue", "Revenue", money),
            ("orders", "Orders", str),
            ("tax", "Tax collected", money),
            ("refunds", "Refunds", money),
        ):
            charts.append(
                {
                    "title": f"{label} ({one.currency})",
                    "total": show(one.total(name)),
                    "svg": bar_chart(
                        label=f"{label} per day", days=days, values=getattr(one, name), show=show
                    ),
                }
            )
    return charts


@register.inclusion_tag("admin/dashboard/dashboard.html", takes_context=True)
def merchant_dashboard(context):
    request = context["request"]
    scope = scope_for(request)
    if scope is None:
        return {"scope": None}
    series = selectors.daily_series(scope=scope)
    top = selectors.top_products(scope=scope)
    return {
        "scope": scope,
        "everyone": scope.merchant_id is None,
        "environments": Environment.values,
        "periods": selectors.PERIODS,
        "tiles": [
            {
                "currency": one.currency,
                "revenue": format_amount(one.total("revenue"), one.currency),
                "tax": format_amount(one.total("tax"), one.currency),
                "orders": one.total("orders"),
            }
            for one in series
        ],
        "charts": _charts(scope, series),
        "top_products": [
            (p.name, p.units, f"{format_amount(p.revenue_minor, p.currency)} {p.currency}")
            for p in top
        ],
        "conversion": selectors.conversion(scope=scope),
        "mrr": [
            (currency, format_amount(minor, currency))
            for currency, minor in subscription_metrics.monthly_recurring_revenue(
                scope=scope
            ).items()
        ],
        "churn": subscription_metrics.churn(scope=scope),
    }
