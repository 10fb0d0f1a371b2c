"""List filters of the order admin. The status filter offers the statuses of the product
type chosen in the type filter (a one-time order is never "past due"); with no type chosen,
subscription-only statuses are marked as such."""

from django.contrib import admin

from catalog.models import ProductType
from orders.models import ONETIME_STATUSES, OrderStatus
from orders.selectors import statuses_for


class SoldThroughFilter(admin.SimpleListFilter):
    """Direct sales versus partner sales; the partner column names the partner."""

    title = "sold through"
    parameter_name = "sold_through"

    def lookups(self, request, model_admin):
        return (("partner", "A partner"), ("direct", "Direct"))

    def queryset(self, request, queryset):
        if self.value() == "partner":
            return queryset.filter(partner__isnull=False)
        if self.value() == "direct":
            return queryset.filter(partner__isnull=True)
        return queryset


class ProductTypeFilter(admin.SimpleListFilter):
    title = "product type"
    parameter_name = "product_type"

    def lookups(self, request, model_admin):
        return ((ProductType.ONETIME, "One-time"), (ProductType.SUBSCRIPTION, "Subscription"))

    def queryset(self, request, queryset):
        if self.value() in ProductType.values:
            return queryset.filter(product_type=self.value())
        return queryset


class OrderStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        product_type = request.GET.get(ProductTypeFilter.parameter_name)
        if product_type not in ProductType.values:
            product_type = None
        choices = []
        for status in statuses_for(product_type=product_type):
            label = OrderStatus(status).label
            if product_type is None and status not in ONETIME_STATUSES:
                label = f"{label} (subscriptions)"
            choices.append((status, label))
        return choices

    def queryset(self, request, queryset):
        if self.value() in OrderStatus.values:
            return queryset.filter(status=self.value())
        return queryset
