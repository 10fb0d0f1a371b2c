"""The buyer's pages and messages outside checkout, in every language, and a failure on any
text left in English: the customer portal (orders, an order, the card form, the pages for
a bad or ended session), the plan change page, the invoice page, every email (subject, text
and HTML) and the invoice PDF's labels. Checked as tests/test_i18n_pages.py checks the
checkout: each is rendered in English and in each other language from the same data.
"""

import io
import json
import logging
from pathlib import Path

import pypdf
import pytest
from django.test import Client

from checkout.models import CheckoutSession
from core.models import DomainEvent
from notifications.messages import build_message
from notifications.models import EmailKind, EmailLog
from orders import invoices_fonts
from orders.invoices_pdf import invoice_pdf
from orders.models import Invoice
from tests.email_support import pay
from tests.factories import ProductFactory, StoreFactory
from tests.i18n_support import left_in_lines
from tests.plan_change_support import SESSION, change_body, change_of, page_path, plan_at
from tests.portal_support import order_url, portal_url, sign_in
from tests.subscription_support import subscribe, subscription_product
from tests.test_i18n_pages import OTHER_LANGUAGES, untranslated

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(merchant):
    return StoreFactory(owner=merchant, name="Acme Tools", slug="acme-tools")


@pytest.fixture
def buyer_pages(shop, api):
    """Each page as a function of a signed-in client and the Accept-Language header."""
    subscription = subscribe(subscription_product(shop, name="Pancake Pro"))
    order = subscription.order
    basic = plan_at(shop, "10.00", "Standard")
    change = change_of(
        api.post(
            SESSION, change_body(subscribe(basic), subscription_product(shop, name="Widget Pro"))
        )
    )
    one_time = pay(ProductFactory(store=shop, name="Setup Guide"))
    invoice = Invoice.objects.get(order=one_time)
    session = one_time.checkout_session
    invoice_url = f"/store/{shop.slug}/checkout/{session.public_id}/invoice/{invoice.number}"

    def get(url):
        return lambda client, lang: client.get(url, headers={"accept-language": lang})

    return {
        "portal": get(portal_url(shop)),
        "portal order": get(order_url(order)),
        "portal order, canceled": get(order_url(order) + "?notice=canceled"),
        "portal card form": get(order_url(order, "/card")),
        "portal signed out": get(portal_url(shop, "/signed-out")),
        "portal unknown order": get(portal_url(shop, "/orders/ORD_nope")),
        "plan change": get(page_path(change)),
        "invoice": get(invoice_url),
    }


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_buyer_page_is_translated(shop, buyer_pages, language):
    client = Client()
    sign_in(client, shop)
    failures = {}
    for name, render in buyer_pages.items():
        english_response, other_response = render(client, "en"), render(client, language)
        expected = 404 if name == "portal unknown order" else 200
        assert english_response.status_code == other_response.status_code == expected, name
        english, other = english_response.content.decode(), other_response.content.decode()
        assert '<html lang="en' in english, name
        assert expected == 404 or "Acme Tools" in other, name
        left = untranslated(english, other, language)
        if left:
            failures[name] = sorted(left)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_a_signed_out_visitor_is_told_so_in_their_language(shop):
    english = Client().get(portal_url(shop), headers={"accept-language": "en"})
    german = Client().get(portal_url(shop), headers={"accept-language": "de"})
    assert english.status_code == german.status_code == 401
    assert untranslated(english.content.decode(), german.content.decode(), "de") == set()
    assert "Bitte melden Sie sich erneut an" in german.content.decode()


def test_the_portal_order_speaks_its_checkouts_language_before_the_browsers(shop):
    subscription = subscribe(subscription_product(shop, name="Pancake Pro"))
    CheckoutSession.objects.filter(pk=subscription.order.checkout_session_id).update(
        language="fr-FR"
    )
    client = Client()
    sign_in(client, shop)
    page = client.get(order_url(subscription.order), headers={"accept-language": "de"})
    assert '<html lang="fr' in page.content.decode()
    assert "Résilier" in page.content.decode()


# --- emails ----------------------------------------------------------------------------------


@pytest.fixture
def emails(shop):
    """One email of each kind, unsaved: its language is set per test."""
    order = pay(ProductFactory(store=shop, name="Setup Guide"))
    invoice = Invoice.objects.get(order=order)
    subscription = subscribe(subscription_product(shop, name="Pancake Pro"))
    plan_order = subscription.order
    kinds = {
        EmailKind.RECEIPT: (order, invoice),
        EmailKind.REFUND: (order, None),
        EmailKind.RENEWAL: (plan_order, None),
        EmailKind.TRIAL_ENDING: (plan_order, None),
        EmailKind.UPCOMING_CHARGE: (plan_order, None),
        EmailKind.CANCELED: (plan_order, None),
        EmailKind.ENDED: (plan_order, None),
        EmailKind.PAST_DUE: (plan_order, None),
        # Without their event the plan-change notices name no plans and read the order's
        # total as the change's charge: every sentence but the credited one, which
        # tests/test_email_subscription_notices.py reads.
        EmailKind.PLAN_CHANGED: (plan_order, invoice),
        EmailKind.PLAN_SCHEDULED: (plan_order, None),
        EmailKind.PLAN_FAILED: (plan_order, None),
        EmailKind.MERCHANT: (order, None),  # the owner's new-order notice
    }
    assert set(kinds) == set(EmailKind.values)  # a new kind is checked here too
    return kinds


def _built(kind, order, document, language):
    event = None
    if kind == EmailKind.MERCHANT:  # says what its event was about
        event = DomainEvent.objects.get(name="order.completed", subject=order.public_id)
    email = EmailLog(
        store_id=order.store_id,
        environment=order.environment,
        event=event,
        kind=kind,
        order=order,
        document=document,
        to_address=order.buyer_email,
        language=language,
    )
    message = build_message(email)
    return message.subject, message.body, message.alternatives[0][0]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_email_is_translated(emails, language):
    failures = {}
    for kind, (order, document) in emails.items():
        subject, text, html = _built(kind, order, document, "en")
        other_subject, other_text, other_html = _built(kind, order, document, language)
        left = left_in_lines(subject, other_subject, language)
        left |= left_in_lines(text, other_text, language)
        left |= untranslated(html, other_html, language)
        assert f'lang="{language.split("-")[0]}' in other_html.lower(), kind
        if left:
            failures[kind] = sorted(left)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_an_email_without_a_checkout_language_uses_the_stores(emails, shop):
    shop.checkout_settings = {**(shop.checkout_settings or {}), "language": "nl"}
    shop.save(update_fields=["checkout_settings"])
    order, document = emails[EmailKind.RECEIPT]
    order.refresh_from_db()
    subject, _text, _html = _built(EmailKind.RECEIPT, order, document, "")
    assert subject.startswith("Uw ontvangstbewijs van Acme Tools")


# --- the PDF ---------------------------------------------------------------------------------


def _pdf_text(invoice) -> str:
    reader = pypdf.PdfReader(io.BytesIO(invoice_pdf(invoice)))
    return "\n".join(page.extract_text() for page in reader.pages)


def _invoice_in(shop, language: str, **billing) -> Invoice:
    order = pay(ProductFactory(store=shop, name="Setup Guide"), language=language, **billing)
    return Invoice.objects.get(order=order)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["Rechnung", "Rechnungsempfänger", "Einzelpreis", "Nettosumme", "Gesamtbetrag"]),
        ("fr", ["Facture", "Facturé à", "Prix unitaire", "Total HT"]),
        ("pt-BR", ["Fatura", "Preço unitário", "Total líquido"]),
    ],
)
def test_the_pdf_labels_are_translated_where_its_font_writes_the_language(shop, language, words):
    text = _pdf_text(_invoice_in(shop, language))
    for word in words:
        assert word in text, (word, text)
    for english in ("Bill to", "Unit price", "Net total"):
        assert english not in text


@pytest.mark.parametrize("language", ["ja", "zh-Hans", "ar"])
def test_a_pdf_in_a_script_helvetica_cannot_write_keeps_english_labels_without_its_font(
    shop, language, monkeypatch
):
    monkeypatch.setattr(invoices_fonts, "FONT_DIR", Path("/nonexistent"))
    invoice = _invoice_in(shop, language)
    text = _pdf_text(invoice)
    assert f"Invoice {invoice.number}" in text and "Bill to" in text and "Net total" in text
    assert "buyer@example.com" in text and "?" not in text


def test_a_buyers_name_the_font_cannot_draw_is_not_replaced_silently(shop, caplog, monkeypatch):
    monkeypatch.setattr(invoices_fonts, "FONT_DIR", Path("/nonexistent"))
    invoice = _invoice_in(
        shop, "ja", country="JP", isBusiness=True, businessName="株式会社パンケーキ"
    )
    with caplog.at_level(logging.WARNING, logger="orders.invoices_pdf"):
        _pdf_text(invoice)
    assert invoice.number in caplog.text and "INVOICE_PDF_FONT" in caplog.text
