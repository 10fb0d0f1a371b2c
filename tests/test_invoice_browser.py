"""The buyer's invoice in a real browser (Chromium, Playwright, the live server): paid on the
hosted page, reached from the receipt's link, read on a 390 px phone, and its PDF fetched
from the page's own link."""

import io
import re

import pypdf
import pytest

from tests.browser_support import (
    FUTURE_EXPIRY,
    SUCCESS_CARD,
    checkout_path,
    make_product,
    make_session,
    make_store,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_receipt_leads_to_the_invoice_and_its_pdf(page, site):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")
    session = make_session(merchant=merchant, product=product)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + checkout_path(session))
    page.fill("#email", "buyer@example.com")
    page.select_option("#country", "DE")
    page.fill("#postcode", "10115")
    page.fill("#card_number", SUCCESS_CARD)
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))

    page.get_by_role("link", name="Invoice TEST-INV-000001").click()
    page.wait_for_url(re.compile(r"/invoice/TEST-INV-000001$"))

    assert page.inner_text("#invoice-number") == "TEST-INV-000001"
    assert "VAT ID: DE000000000" in page.inner_text("#invoice-seller")
    assert "buyer@example.com" in page.inner_text("#invoice-buyer")
    assert "Widget Pro" in page.inner_text("#invoice-lines")
    total = page.inner_text("#invoice-total")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the invoice scrolls sideways on a phone ({width}px)"

    href = page.get_attribute("#invoice-pdf-link", "href")
    response = page.request.get(site + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Invoice TEST-INV-000001" in text and f"Total {total}" in text
