"""The buyer's invoices, beside the receipt (``/store/<slug>/checkout/<id>/invoice/<number>``).

Their own URLconf, included by config's: the checkout app sits below orders and does not
route to its views.
"""

from django.urls import path

from orders.web import invoices

app_name = "orders"
urlpatterns = [
    path(
        "<str:slug>/checkout/<str:session_id>/invoice/<str:number>.pdf",
        invoices.invoice_download,
        name="invoice-pdf",
    ),
    path(
        "<str:slug>/checkout/<str:session_id>/invoice/<str:number>",
        invoices.invoice_page,
        name="invoice",
    ),
]
