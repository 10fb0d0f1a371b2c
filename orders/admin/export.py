"""The order list as a CSV download: exactly the rows the list shows with its current
filters, search and date drill-down, streamed row by row (see ``orders.exports``)."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone

from orders.exports import csv_lines, export_rows


class OrderExportMixin:
    """Adds ``export/`` next to the order list; the changelist's own filtering makes the
    queryset, with its page count and page fetch left out."""

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="orders_order_export",
        )
        return [export, *super().get_urls()]

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if not getattr(request, "orders_export", False):
            return changelist

        class ExportChangeList(changelist):
            def get_results(self, request):
                """No page, no counts: the export reads the whole filtered queryset."""

        return ExportChangeList

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        request.orders_export = True
        try:
            orders = self.get_changelist_instance(request).queryset
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:orders_order_changelist") + "?e=1")
        response = StreamingHttpResponse(
            csv_lines(export_rows(orders=orders)), content_type="text/csv; charset=utf-8"
        )
        filename = f"orders-{timezone.now():%Y%m%d-%H%M%S}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
