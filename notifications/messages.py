"""Building an email from its log row: subject, text and HTML bodies from
``templates/email/<kind>*`` in the buyer's language, and the invoice or credit note as PDF.

Built at send time from rows that never change (the order, the issued document), so a retry
sends the same email.
"""

from datetime import datetime

from babel import Locale
from babel.dates import format_date
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from checkout.web.locale import store_language
from core.money import format_localized
from notifications.merchant_notices import notice_context
from notifications.models import EmailKind, EmailLog
from orders.invoices import invoice_path
from orders.invoices_document import catalog_language, invoice_locale
from orders.invoices_pdf import invoice_pdf
from payments.selectors import period_payment
from subscriptions.models import PlanChange
from subscriptions.plan_changes import plan_change_by_public_id
from subscriptions.renewals import renewal_amounts

PLAN_CHANGE_KINDS = (EmailKind.PLAN_CHANGED, EmailKind.PLAN_SCHEDULED, EmailKind.PLAN_FAILED)


def _plan_change(email: EmailLog) -> PlanChange | None:
    if email.kind not in PLAN_CHANGE_KINDS or email.event is None:
        return None
    return plan_change_by_public_id(email.event.payload.get("planChangeId") or "")


def _amount_minor(email: EmailLog, change: PlanChange | None) -> int:
    if email.kind == EmailKind.REFUND and email.document is not None:
        return email.document.total_minor
    if email.kind in (EmailKind.UPCOMING_CHARGE, EmailKind.PAST_DUE):
        return renewal_amounts(email.order.subscription).total_minor
    if change is not None:  # what the change charged (or asked for), else what it credited
        return change.payment.amount_minor if change.payment else change.due_now_minor
    if email.kind == EmailKind.RENEWAL and email.event is not None:
        payment = period_payment(order_id=email.order_id, period=email.event.payload.get("period"))
        if payment is not None:
            return payment.amount_minor
    return email.order.total_minor


def _language(email: EmailLog) -> str:
    """Rendered outside a request: the checkout's language, else the store's, else English."""
    return email.language or store_language(email.order.checkout_session.store)


def _context(email: EmailLog) -> dict:
    order = email.order
    session = order.checkout_session
    locale = invoice_locale(_language(email))
    base = settings.PUBLIC_BASE_URL
    document = email.document
    change = _plan_change(email)
    amount_minor = _amount_minor(email, change)
    amount = format_localized(abs(amount_minor), order.currency, locale)
    context = {
        "order": order,
        "title": session.title,
        "store_name": session.store_name,
        "platform_name": settings.PLATFORM_LEGAL_NAME,
        "total": amount,
        "amount": amount,
        "receipt_url": base
        + reverse("checkout:receipt", args=[session.store.slug, session.public_id]),
        "invoice_number": document.number if document else "",
        "invoice_url": base + invoice_path(document) if document else "",
        "language_tag": locale.replace("_", "-"),
        "text_direction": Locale.parse(locale).text_direction,
        "renews_on": _date(_renewal_day(email), locale),
        "charged": amount_minor > 0,
        "credited": amount_minor < 0,
        "from_plan": change.from_version.name if change else "",
        "to_plan": change.to_version.name if change else "",
    }
    if email.kind == EmailKind.MERCHANT:
        context |= notice_context(email)
        shown = context["notice_amount_minor"]
        context["amount"] = "" if shown is None else format_localized(shown, order.currency, locale)
    return context


def _renewal_day(email: EmailLog) -> datetime | None:
    """The day a notice names: the renewal announced, the end of the period a cancellation
    keeps, the next try of a declined renewal, or when a scheduled change applies."""
    if email.kind in (EmailKind.UPCOMING_CHARGE, EmailKind.CANCELED, EmailKind.PLAN_SCHEDULED):
        return email.order.subscription.current_period_end
    if email.kind == EmailKind.PAST_DUE:
        return email.order.subscription.next_retry_at
    return None


def _date(moment: datetime | None, locale: str) -> str:
    return format_date(moment.date(), format="long", locale=locale) if moment else ""


def build_message(email: EmailLog) -> EmailMultiAlternatives:
    with translation.override(catalog_language(_language(email))):
        context = _context(email)
        subject = " ".join(render_to_string(f"email/{email.kind}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"email/{email.kind}.txt", context)
        html = render_to_string(f"email/{email.kind}.html", context)
    domain = settings.EMAIL_FROM_ADDRESS.rpartition("@")[2] or None
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=f"{settings.PLATFORM_LEGAL_NAME} <{settings.EMAIL_FROM_ADDRESS}>",
        to=[email.to_address],
        # The log row's ID in the Message-ID: a resent copy is recognisably the same email.
        headers={"Message-ID": make_msgid(idstring=email.reference, domain=domain)},
    )
    message.attach_alternative(html, "text/html")
    if email.document is not None:
        message.attach(
            f"{email.document.number}.pdf", invoice_pdf(email.document), "application/pdf"
        )
    return message
