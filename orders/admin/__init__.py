"""Orders in admin, one module per part: the order admin (``order_admin``), its inlines
(``inlines``: lines, payments; refunds join them when they land), its list filters
(``filters``), the links to what belongs to an order (``links``) and the CSV export
(``export``)."""

from orders.admin import order_admin

__all__ = ["order_admin"]
