"""Issuing invoices and credit notes, numbered gaplessly (``orders.invoice_numbers``).

The order's invoice is issued by ``order_mark_paid``, inside the payment's transaction; a
credit note inside the transaction that handles the refund's ``refund.succeeded`` event.
"""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_noop

from checkout.tax import TaxResult
from orders.invoice_numbers import numbered_document_create
from orders.invoices_models import DocumentKind, Invoice
from orders.models import Order


def seller_block() -> dict:
    """The merchant of record, as the settings name it now (copied onto each document)."""
    return {
        "name": settings.PLATFORM_LEGAL_NAME,
        "address": list(settings.PLATFORM_ADDRESS_LINES),
        "vat_id": settings.PLATFORM_VAT_ID,
        "email": settings.EMAIL_FROM_ADDRESS,
    }


def buyer_block(order: Order) -> dict:
    detail = order.billing_detail or {}
    return {
        "email": order.buyer_email,
        "business_name": detail.get("businessName") or "",
        "tax_id": detail.get("taxId") or "",
        "postcode": detail.get("postcode") or "",
        "state": detail.get("state") or "",
        "country": detail.get("country") or order.tax_country,
    }


def _tax_breakdown(lines: list[dict], tax_name: str) -> list[dict]:
    """Net amount and tax per rate, highest rate first (how an invoice states tax)."""
    by_rate: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        by_rate[line["tax_rate"]][0] += line["subtotal_minor"]
        by_rate[line["tax_rate"]][1] += line["tax_minor"]
    return [
        {"rate": rate, "name": tax_name, "net_minor": net, "tax_minor": tax}
        for rate, (net, tax) in sorted(by_rate.items(), key=lambda item: -Decimal(item[0]))
    ]


def _order_lines(order: Order) -> list[dict]:
    """The lines as the invoice prints them; those this process just wrote for the order
    (``lines_written``, set when it was opened for payment) spare reading them back."""
    lines = order.lines_written
    return [
        {
            "name": line.name,
            "kind": line.kind,
            "quantity": line.quantity,
            "unit_amount_minor": line.unit_amount_minor,
            "tax_included": line.tax_included,
            "tax_rate": str(line.tax_rate),
            "subtotal_minor": line.subtotal_minor,
            "tax_minor": line.tax_minor,
            "total_minor": line.total_minor,
        }
        for line in (order.lines.all() if lines is None else lines)
    ]


def invoice_for(*, order: Order, now: datetime, period: int = 1) -> Invoice:
    """The order's invoice for ``period``, issued now if it has none yet (an order paid
    before invoices existed)."""
    existing = Invoice.objects.filter(order=order, period=period, kind=DocumentKind.INVOICE).first()
    return existing or invoice_issue(order=order, now=now, period=period)


def invoice_issue(*, order: Order, now: datetime, period: int = 1) -> Invoice:
    """Inside the transaction that completes the order (once: a unique constraint refuses
    a second invoice for the period): its invoice, numbered."""
    return _issue(order=order, period=period, now=now, lines=_order_lines(order))


def renewal_invoice_issue(
    *, order: Order, period: int, name: str, quantity: int, unit_amount_minor: int,
    tax_included: bool, amounts: TaxResult, now: datetime, credit_minor: int = 0,
    credit_tax_minor: int = 0,
) -> Invoice:  # fmt: skip
    """A renewal period's invoice, once: one line at the period's price and tax
    (``amounts``, the subscription's ``renewal_amounts``), less the credit balance the
    renewal spent (``credit_minor`` gross, of which ``credit_tax_minor`` tax), so the
    invoice adds up to what was charged."""
    existing = Invoice.objects.filter(order=order, period=period, kind=DocumentKind.INVOICE).first()
    if existing is not None:
        return existing
    line = amounts.lines[0]
    row = {
        "name": name,
        "kind": "product",
        "quantity": quantity,
        "unit_amount_minor": unit_amount_minor,
        "tax_included": tax_included,
        "tax_rate": f"{line.rate:.4f}",  # as an order line stores it
        "subtotal_minor": line.subtotal_minor,
        "tax_minor": line.tax_minor,
        "total_minor": line.total_minor,
    }
    rows = [row]
    if credit_minor:
        rows.append(
            {
                **row,
                "name": gettext_noop("Credit applied"),
                "kind": "credit",
                "quantity": 1,
                "unit_amount_minor": -credit_minor,
                "tax_included": True,
                "subtotal_minor": -(credit_minor - credit_tax_minor),
                "tax_minor": -credit_tax_minor,
                "total_minor": -credit_minor,
            }
        )
    return _issue(
        order=order,
        period=period,
        now=now,
        lines=rows,
        tax_name=amounts.tax_name or "",
        reverse_charge=amounts.reverse_charge,
    )


def payment_invoice_issue(
    *, order: Order, payment_reference: str, lines: list[dict], now: datetime
) -> Invoice:
    """A charge outside the order's billing periods (a plan change's), once per payment:
    the ``lines`` it was quoted with, which add up to what was charged."""
    existing = Invoice.objects.filter(
        kind=DocumentKind.INVOICE, payment_reference=payment_reference
    ).first()
    if existing is not None:
        return existing
    return _issue(
        order=order, period=None, now=now, lines=lines, payment_reference=payment_reference
    )


def _issue(
    *, order: Order, period: int | None, now: datetime, lines: list[dict],
    tax_name: str | None = None, reverse_charge: bool | None = None, payment_reference: str = "",
) -> Invoice:  # fmt: skip
    subtotal = sum(line["subtotal_minor"] for line in lines)
    tax = sum(line["tax_minor"] for line in lines)
    return numbered_document_create(
        kind=DocumentKind.INVOICE,
        environment=order.environment,
        order=order,
        period=period,
        payment_reference=payment_reference,
        issued_at=now,
        currency=order.currency,
        subtotal_minor=subtotal,
        tax_minor=tax,
        total_minor=subtotal + tax,
        reverse_charge=order.reverse_charge if reverse_charge is None else reverse_charge,
        seller=seller_block(),
        buyer=buyer_block(order),
        lines=lines,
        tax_breakdown=_tax_breakdown(lines, order.tax_name if tax_name is None else tax_name),
    )


def _credited_invoice(
    *, order: Order, period: int, payment_reference: str, now: datetime
) -> Invoice:
    invoices = Invoice.objects.filter(order=order, kind=DocumentKind.INVOICE)
    credited = None
    if payment_reference:
        credited = invoices.filter(payment_reference=payment_reference).first()
    if credited is None and period > 1:
        credited = invoices.filter(period=period).first()
    return credited or invoice_for(order=order, now=now)


def credit_note_issue(
    *,
    order: Order,
    refund_reference: str,
    amount_minor: int,
    tax_minor: int,
    now: datetime,
    period: int = 1,
    payment_reference: str = "",
) -> Invoice:
    """Inside the transaction that records a refund's success (or handles its event): the
    credit note for ``amount_minor`` (of which ``tax_minor`` tax) against the invoice of the
    refunded payment: the one issued for that payment (a plan change's charge), else the
    one of the period it paid (the order's first invoice when that period has none),
    numbered in the credit notes' own sequence. Once per refund."""
    existing = Invoice.objects.filter(
        kind=DocumentKind.CREDIT_NOTE, refund_reference=refund_reference
    ).first()
    if existing is not None:
        return existing
    invoice = _credited_invoice(
        order=order, period=period, payment_reference=payment_reference, now=now
    )
    net = amount_minor - tax_minor
    charged = [row for row in invoice.lines if row["total_minor"] > 0] or invoice.lines
    line = {
        "name": f"Refund against invoice {invoice.number}",
        "kind": "refund",
        "quantity": 1,
        "unit_amount_minor": amount_minor,
        "tax_included": True,
        "tax_rate": charged[0]["tax_rate"] if charged else str(order.tax_rate),
        "subtotal_minor": net,
        "tax_minor": tax_minor,
        "total_minor": amount_minor,
    }
    return numbered_document_create(
        kind=DocumentKind.CREDIT_NOTE,
        environment=order.environment,
        order=order,
        credited_invoice=invoice,
        refund_reference=refund_reference,
        issued_at=now,
        currency=order.currency,
        subtotal_minor=net,
        tax_minor=tax_minor,
        total_minor=amount_minor,
        reverse_charge=order.reverse_charge,
        seller=seller_block(),
        buyer=invoice.buyer,
        lines=[line],
        tax_breakdown=_tax_breakdown([line], order.tax_name),
    )


def invoices_of_order(*, order: Order) -> list[Invoice]:
    return list(Invoice.objects.filter(order=order).order_by("issued_at", "kind", "sequence"))


def invoice_path(invoice: Invoice) -> str:
    """Where the buyer reads ``invoice`` (the receipt's sibling; ``.pdf`` for the file)."""
    session = invoice.order.checkout_session
    return reverse("orders:invoice", args=[session.store.slug, session.public_id, invoice.number])
