"""The receipt of a paid checkout: ``/store/<slug>/checkout/<session>/receipt``.

A subscription's receipt shows its next charge and a "Manage subscription" link into the
customer portal. The receipt is reached by whoever holds its URL, so the link carries a
signed reference to this one order, fresh on every view and good for a few minutes
(``subscriptions.portal_access.order_link``): it opens the portal for this order alone,
never for the buyer's other orders.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.views.decorators.http import require_safe

from checkout.selectors import SessionState, session_state
from checkout.web import summaries
from checkout.web.locale import locale_for_request
from checkout.web.pages import SeeOther, checkout_path, not_found, page, page_session
from orders.invoices import invoice_path, invoices_of_order
from orders.models import Order
from payments.refund_selectors import refunds_of_order
from payments.selectors import period_payment
from subscriptions.portal_access import order_link
from subscriptions.selectors import next_charge


@require_safe
def receipt(request, slug: str, session_id: str):
    session = page_session(slug, session_id)
    if session is None:
        return not_found(request)
    # The lines once, for the table and the amounts.
    order = Order.objects.filter(checkout_session=session).prefetch_related("lines").first()
    if session_state(session) != SessionState.COMPLETED or order is None:
        return SeeOther(checkout_path(session))
    payment = period_payment(order_id=order.pk, period=1)
    locale = locale_for_request(request, session)
    context = {
        "order": order,
        "payment": payment,
        "amounts": summaries.order_amounts(order, locale),
        "lines": summaries.order_lines(order, locale),
        "shipping_address": summaries.address_lines(order.shipping_address, locale),
        "checkout_url": checkout_path(session),
        "refunds": summaries.refund_rows(refunds_of_order(order_id=order.pk), order, locale),
        "next_charge": next_charge(order=order),
        "manage_url": _manage_url(order, session.store.slug),
        "invoices": [
            {"number": doc.number, "credit": doc.is_credit_note, "url": invoice_path(doc)}
            for doc in invoices_of_order(order=order)
        ],
    }
    return page(request, "checkout/receipt.html", context, session=session)


def _manage_url(order: Order, slug: str) -> str:
    if order.product_type != "subscription":
        return ""
    query = urlencode({"link": order_link(order=order)})
    return f"{reverse('portal:index', args=[slug])}?{query}"
