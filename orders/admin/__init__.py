"""Orders in admin, one module per part: the order admin (``order_admin``), its inlines
(``inlines``: lines, payments; refunds join them when they land), its list filters
(``filters``), the links to what belongs to an order (``links``) and the CSV export
(``export``); invoices and credit notes (``invoice_admin``)."""

from orders.admin import invoice_admin, order_admin

__all__ = ["invoice_admin", "order_admin"]
