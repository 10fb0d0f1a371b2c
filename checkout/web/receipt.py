"""The receipt of a paid checkout: ``/store/<slug>/checkout/<session>/receipt``."""

from django.views.decorators.http import require_safe

from checkout.selectors import SessionState, session_state
from checkout.web import summaries
from checkout.web.locale import locale_for_request
from checkout.web.pages import SeeOther, checkout_path, not_found, page, page_session
from orders.models import Order
from payments.models import PaymentStatus
from payments.refund_selectors import refunds_of_order
from subscriptions.selectors import next_charge


@require_safe
def receipt(request, slug: str, session_id: str):
    session = page_session(slug, session_id)
    if session is None:
        return not_found(request)
    order = Order.objects.filter(checkout_session=session).first()
    if session_state(session) != SessionState.COMPLETED or order is None:
        return SeeOther(checkout_path(session))
    payment = order.payments.filter(period=1, status=PaymentStatus.SUCCEEDED).first()
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
    }
    return page(request, "checkout/receipt.html", context, session=session)
