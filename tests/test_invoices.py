"""Invoices (issue 19, point 7): issued with the order's completion, numbered without gaps per
environment and kind, showing seller, buyer, lines and tax by rate in the buyer's locale, as
an HTML page next to the receipt and as a PDF; credit notes for refunds."""

import io

import pypdf
import pytest
from django.db import transaction
from django.utils import timezone

from orders.invoices import credit_note_issue, invoice_for, invoice_issue
from orders.models import DocumentKind, Invoice, InvoiceCounter
from stores.models import Environment
from tests.email_support import pay
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def page_url(invoice: Invoice) -> str:
    session = invoice.order.checkout_session
    return f"/store/{session.store.slug}/checkout/{session.public_id}/invoice/{invoice.number}"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_paid_order_has_its_invoice_with_the_next_number(product):
    first, second = pay(product), pay(product)

    invoices = list(Invoice.objects.order_by("sequence"))
    assert [(i.order_id, i.number) for i in invoices] == [
        (first.pk, "TEST-INV-000001"),
        (second.pk, "TEST-INV-000002"),
    ]
    invoice = invoices[0]
    assert (invoice.kind, invoice.period, invoice.issued_at) == ("invoice", 1, first.completed_at)
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor) == (2900, 551, 3451)
    assert invoice.tax_breakdown == [
        {"rate": "19.0000", "name": "VAT", "net_minor": 2900, "tax_minor": 551}
    ]
    assert invoice.seller["vat_id"] == "DE000000000"
    assert invoice.buyer["email"] == "buyer@example.com"


def test_live_and_test_documents_and_credit_notes_count_separately(product):
    live_order = pay(product)
    live_order.invoices.all().delete()  # made a live order (rows only) before its invoice
    live_order.environment = Environment.PROD
    live_order.save(update_fields=["environment"])
    live = invoice_issue(order=live_order, now=timezone.now())
    test_order = pay(product)
    note = credit_note_issue(
        order=test_order,
        refund_reference="REF_one",
        amount_minor=1000,
        tax_minor=160,
        now=timezone.now(),
    )

    assert live.number == "INV-000001"
    assert test_order.invoices.get(kind="invoice").number == "TEST-INV-000002"
    assert (note.number, note.credited_invoice.number) == ("TEST-CN-000001", "TEST-INV-000002")


def test_a_rolled_back_issue_gives_its_number_back(product):
    order = pay(product)

    def issue_then_fail():
        with transaction.atomic():
            credit_note_issue(
                order=order,
                refund_reference="REF_a",
                amount_minor=100,
                tax_minor=0,
                now=timezone.now(),
            )
            raise RuntimeError("the refund's transaction fails after the credit note")

    with pytest.raises(RuntimeError):
        issue_then_fail()

    note = credit_note_issue(
        order=order, refund_reference="REF_b", amount_minor=100, tax_minor=0, now=timezone.now()
    )
    assert note.number == "TEST-CN-000001"
    assert InvoiceCounter.objects.get(environment="test", kind="credit_note").last_sequence == 1


def test_numbers_past_six_digits_keep_every_digit(product):
    InvoiceCounter.objects.create(environment="test", kind="invoice", last_sequence=999_998)

    first, second = pay(product), pay(product)

    invoices = [order.invoices.get() for order in (first, second)]
    assert [(i.sequence, i.number) for i in invoices] == [
        (999_999, "TEST-INV-999999"),
        (1_000_000, "TEST-INV-1000000"),
    ]


def test_the_issued_document_carries_the_number_it_was_written_with(product):
    order = pay(product)

    note = credit_note_issue(
        order=order, refund_reference="REF_c", amount_minor=100, tax_minor=0, now=timezone.now()
    )

    assert (note.sequence, note.number) == (1, "TEST-CN-000001")
    stored = Invoice.objects.get(pk=note.pk)
    assert (stored.sequence, stored.number) == (note.sequence, note.number)


def test_issuing_twice_returns_the_same_invoice(product):
    order = pay(product)
    again = invoice_for(order=order, now=timezone.now())
    assert again == order.invoices.get()
    assert Invoice.objects.count() == 1


def test_the_invoice_page_shows_seller_buyer_lines_and_tax_in_the_buyers_locale(client, product):
    order = pay(product, language="pt-BR")
    invoice = order.invoices.get()

    response = client.get(page_url(invoice))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="invoice-number">TEST-INV-000001<' in html
    assert "Pancake Checkout" in html and "ID de IVA: DE000000000" in html  # in Portuguese
    assert "buyer@example.com" in html and "Alemanha" in html
    assert "US$\xa029,00" in html and "US$\xa034,51" in html and "US$\xa05,51" in html
    assert "IVA 19% sobre US$\xa029,00" in html  # the tax named in Portuguese too
    assert "Reverse charge" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_business_buyer_with_an_eu_vat_id_gets_the_reverse_charge_note(client, product):
    order = pay(
        product, country="FR", isBusiness=True, businessName="Acme SAS", taxId="FR40303265045"
    )
    invoice = order.invoices.get()
    assert invoice.reverse_charge and invoice.tax_minor == 0

    html = client.get(page_url(invoice)).content.decode()
    assert "Acme SAS" in html and "VAT ID: FR40303265045" in html
    assert "Reverse charge: VAT to be accounted for by the recipient" in html
    assert "Reverse charge: VAT to be accounted for" in pdf_text(
        client.get(page_url(invoice) + ".pdf").content
    )


def test_the_reverse_charge_row_reads_in_the_buyers_language(client, product):
    order = pay(
        product,
        country="FR",
        isBusiness=True,
        businessName="Acme SAS",
        taxId="FR40303265045",
        language="pt-BR",
    )

    html = client.get(page_url(order.invoices.get())).content.decode()

    assert "Autoliquidação 0%" in html and "Reverse charge" not in html


def test_the_pdf_carries_the_same_figures(client, product):
    invoice = pay(product).invoices.get()

    response = client.get(page_url(invoice) + ".pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="TEST-INV-000001.pdf"'
    text = pdf_text(response.content)
    for expected in (
        "Invoice TEST-INV-000001",
        "Test mode: not a tax document.",
        "Pancake Checkout",
        "1 Example Street",
        "VAT ID: DE000000000",
        "buyer@example.com",
        invoice.lines[0]["name"],
        "VAT 19% on $29.00 $5.51",
        "Total $34.51",
    ):
        assert expected in text


def test_the_receipt_links_its_invoice_and_another_sessions_url_is_not_found(client, product):
    first, second = pay(product), pay(product)
    invoice = first.invoices.get()
    session = first.checkout_session

    receipt = client.get(f"/store/{session.store.slug}/checkout/{session.public_id}/receipt")
    assert f'href="{page_url(invoice)}"' in receipt.content.decode()

    other = second.checkout_session
    stolen = f"/store/{other.store.slug}/checkout/{other.public_id}/invoice/{invoice.number}"
    assert client.get(stolen).status_code == 404
    assert client.get(stolen + ".pdf").status_code == 404
    elsewhere = StoreFactory(owner=product.store.memberships.first().merchant)
    wrong_store = page_url(invoice).replace(
        f"/store/{session.store.slug}/", f"/store/{elsewhere.slug}/"
    )
    assert client.get(wrong_store).status_code == 404


def test_a_credit_note_subtracts_and_names_the_invoice_it_corrects(client, product):
    order = pay(product)
    note = credit_note_issue(
        order=order, refund_reference="REF_x", amount_minor=1190, tax_minor=190, now=timezone.now()
    )
    assert note.kind == DocumentKind.CREDIT_NOTE
    assert (note.subtotal_minor, note.tax_minor, note.total_minor) == (1000, 190, 1190)
    again = credit_note_issue(
        order=order, refund_reference="REF_x", amount_minor=1190, tax_minor=190, now=timezone.now()
    )
    assert again == note

    text = pdf_text(client.get(page_url(note) + ".pdf").content)
    assert "Credit note TEST-CN-000001" in text
    assert "This credit note corrects invoice TEST-INV-000001." in text
    assert "Total -$11.90" in text


def test_the_invoice_issued_with_the_payment_matches_one_from_the_lines_read_back(product):
    """Paying issues the invoice from the lines it has just written (no read); an order read
    from the database gives the same document, rates at the same scale."""
    order = pay(product)
    issued = Invoice.objects.get(order=order)
    issued.delete()

    from orders.models import Order

    again = invoice_issue(order=Order.objects.get(pk=order.pk), now=issued.issued_at)

    assert again.lines == issued.lines and again.lines[0]["tax_rate"] == "19.0000"
    assert again.tax_breakdown == issued.tax_breakdown
    assert (again.subtotal_minor, again.tax_minor, again.total_minor) == (
        issued.subtotal_minor,
        issued.tax_minor,
        issued.total_minor,
    )
