"""The invoice PDF in scripts Helvetica cannot write: labels from the catalog, the system
font embedded, Arabic shaped, and English labels when the font is missing."""

import io
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from orders import invoices_fonts
from orders.invoices_document import document_text
from orders.invoices_pdf import invoice_pdf
from orders.models import Invoice
from tests.email_support import pay
from tests.factories import ProductFactory, StoreFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing"),
]
LABELS = ("Bill to", "Unit price", "Net total", "Total")


@pytest.fixture
def shop(merchant):
    return StoreFactory(owner=merchant, name="Acme Tools", slug="acme-tools")


def _invoice_in(shop, language: str) -> Invoice:
    order = pay(ProductFactory(store=shop, name="Setup Guide"), language=language)
    return Invoice.objects.get(order=order)


def _text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    # pdftotext marks right-to-left runs with bidi embedding controls; the words stay whole
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", done.stdout.decode())


def _skeleton(value: str) -> str:
    """Text without lam, alef and spaces: a lam-alef ligature's glyph maps back to both
    letters but in reverse order (إلى extracts as إىل), so compare what remains."""
    return re.sub("[\\s\u0644\u0627\u0623\u0625\u0622]", "", value)  # lam, alefs


def _fonts(data: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def _translated(language: str) -> list[str]:
    with translation.override(language):
        return [_(label) for label in LABELS]


@pytest.mark.parametrize(
    ("language", "font"),
    [("ja", "DroidSansFallback"), ("zh-Hans", "DroidSansFallback"), ("ar", "NotoSansArabic")],
)
def test_the_pdf_speaks_the_buyers_script_in_its_system_font(shop, language, font):
    invoice = _invoice_in(shop, language)
    data = invoice_pdf(invoice)
    text = _text(data)
    for label in _translated(language):
        assert label != "" and label not in LABELS
        assert _skeleton(label) in _skeleton(text), (label, text)
    assert "Bill to" not in text and "Net total" not in text
    assert invoice.number in text and "buyer@example.com" in text
    assert any(name.startswith(font) for name in _fonts(data)), _fonts(data)


def test_a_latin_language_keeps_helvetica(shop):
    data = invoice_pdf(_invoice_in(shop, "de"))
    text = _text(data)
    for label in _translated("de"):
        assert label in text
    assert _fonts(data) == {"Helvetica", "Helvetica-Bold"}


def test_the_arabic_pdf_shows_the_amounts_the_html_invoice_shows(shop):
    invoice = _invoice_in(shop, "ar")
    with translation.override("ar"):
        doc = document_text(invoice, language="")
    text = _text(invoice_pdf(invoice))
    # babel's ar total is RLM + "34.51 US$"; laid right to left it reads "$US 34.51"
    figure, currency = doc.total.strip("\u200f").split("\xa0")
    assert figure == "34.51" and currency == "US$"
    assert "\u200f$US 34.51" in text, text


def test_a_missing_font_still_renders_with_english_labels(shop, monkeypatch, caplog):
    monkeypatch.setattr(invoices_fonts, "FONT_DIR", Path("/nonexistent"))
    invoice = _invoice_in(shop, "ja")
    with caplog.at_level(logging.WARNING, logger="orders.invoices_pdf"):
        data = invoice_pdf(invoice)
    text = _text(data)
    assert f"Invoice {invoice.number}" in text and "Bill to" in text and "Net total" in text
    assert _fonts(data) == {"Helvetica", "Helvetica-Bold"}
    assert "/nonexistent/droid/DroidSansFallbackFull.ttf" in caplog.text
