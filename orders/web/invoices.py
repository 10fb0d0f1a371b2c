"""The buyer's invoices and credit notes: an HTML page and its PDF, at
``/store/<slug>/checkout/<session>/invoice/<number>`` (``.pdf`` for the file).

Whoever may see the receipt may see its documents: the same URL secret (the session's ID),
the same store, a completed checkout; any other document number is this page's 404.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from checkout.selectors import SessionState, session_state
from checkout.web.locale import locale_for_request
from checkout.web.pages import not_found, page, page_session, receipt_path
from orders.invoices_document import document_text
from orders.invoices_models import Invoice
from orders.invoices_pdf import invoice_pdf


def _invoice(slug: str, session_id: str, number: str) -> Invoice | None:
    session = page_session(slug, session_id)
    if session is None or session_state(session) != SessionState.COMPLETED:
        return None
    return (
        Invoice.objects.select_related("order__checkout_session__store", "credited_invoice")
        .filter(order__checkout_session=session, number=number)
        .first()
    )


@require_safe
def invoice_page(request, slug: str, session_id: str, number: str):
    invoice = _invoice(slug, session_id, number)
    if invoice is None:
        return not_found(request)
    session = invoice.order.checkout_session
    # The document as the page speaks: the checkout's language, else the browser's, else
    # the store's (the PDF and the email, made outside a request, skip the browser's).
    locale = locale_for_request(request, session)
    context = {
        "invoice": invoice,
        "doc": document_text(invoice, language=locale.babel),
        "receipt_url": receipt_path(session),
        "pdf_url": f"{request.path}.pdf",
    }
    return page(request, "invoices/invoice.html", context, session=session)


@require_safe
def invoice_download(request, slug: str, session_id: str, number: str):
    invoice = _invoice(slug, session_id, number)
    if invoice is None:
        return not_found(request)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
