"""Invoices as PDF, drawn with fpdf2.

fpdf2 is pure Python (its only dependencies are fontTools, Pillow and defusedxml, all
wheels), actively released, and draws text that PDF readers and ``pypdf`` extract again;
WeasyPrint or xhtml2pdf would render the HTML page instead but need Pango/Cairo system
libraries. The built-in Helvetica covers Windows-1252 (Western European text, €, “ ” —);
``INVOICE_PDF_FONT`` names a TrueType font for anything beyond.

Without such a font, a document in a language Windows-1252 cannot write (ja, zh-Hans, ar)
keeps English labels, while the buyer's data stays as given wherever the font can draw it:
no CJK font small enough to ship with every machine exists (Noto CJK is ~100 MB), Arabic
would also need text shaping (HarfBuzz), and the HTML page and the email beside the PDF are
fully translated. A character of the buyer's data the font lacks is printed as ``?`` with a
warning in the log naming the document, so it never happens silently; setting
``INVOICE_PDF_FONT`` to a Unicode font (DejaVu Sans covers Latin, Greek, Cyrillic) avoids it.
"""

import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from orders.invoices_document import DEFAULT_LOCALE, DocumentText, catalog_language, document_text
from orders.invoices_models import Invoice

logger = logging.getLogger(__name__)
_CORE_ENCODING = "windows-1252"
NON_LATIN_LANGUAGES = ("ja", "zh-hans", "ar")  # labels Helvetica cannot draw
_COLUMNS = ((78, "L"), (14, "R"), (26, "R"), (18, "R"), (0, "R"))  # item, qty, unit, rate, net


class _Writer:
    def __init__(self, number: str = "") -> None:
        self.number = number
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_page()
        self.family = "helvetica"
        if settings.INVOICE_PDF_FONT:
            self.pdf.add_font("invoice", fname=settings.INVOICE_PDF_FONT)
            self.pdf.add_font("invoice", style="B", fname=settings.INVOICE_PDF_FONT)
            self.family = "invoice"
            self.unicode = True
        else:
            self.pdf.core_fonts_encoding = _CORE_ENCODING
            self.unicode = False

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        try:
            return value.encode(_CORE_ENCODING).decode(_CORE_ENCODING)
        except UnicodeEncodeError:
            logger.warning(
                "Invoice PDF %s: %r has characters Helvetica cannot draw; set "
                "INVOICE_PDF_FONT to a Unicode font",
                self.number,
                value,
            )
            return value.encode(_CORE_ENCODING, "replace").decode(_CORE_ENCODING)

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, style="B" if bold else "", size=size)

    def line(self, value: str, *, size: float = 10, bold: bool = False, height: float = 5):
        self.font(size, bold)
        self.pdf.multi_cell(0, height, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def row(self, cells: list[str], *, bold: bool = False) -> None:
        self.font(9, bold)
        for (width, align), value in zip(_COLUMNS, cells, strict=True):
            self.pdf.cell(width, 6, self.text(value), align=align)
        self.pdf.ln(6)

    def pair(self, label: str, value: str, *, bold: bool = False) -> None:
        self.font(10, bold)
        self.pdf.cell(136, 6, self.text(label), align="R")
        self.pdf.cell(0, 6, self.text(value), align="R")
        self.pdf.ln(6)


def _blocks(writer: _Writer, doc: DocumentText) -> None:
    writer.line(f"{doc.title} {doc.number}", size=16, bold=True, height=8)
    if doc.test_mode:
        writer.line(_("Test mode: not a tax document."), size=9, bold=True)
    writer.line(doc.date)
    writer.pdf.ln(4)
    writer.line(_("From"), size=9, bold=True)
    for row in doc.seller:
        writer.line(row)
    writer.pdf.ln(3)
    writer.line(_("Bill to"), size=9, bold=True)
    for row in doc.buyer:
        writer.line(row)
    writer.pdf.ln(5)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The document in the checkout's language (else the store's, else English); with the
    built-in font, English labels for the languages it cannot write."""
    language = catalog_language(invoice.language)
    fallback = not settings.INVOICE_PDF_FONT and language in NON_LATIN_LANGUAGES
    with translation.override("en" if fallback else language):
        return _draw(invoice, DEFAULT_LOCALE if fallback else "")


def _draw(invoice: Invoice, language: str) -> bytes:
    doc = document_text(invoice, language=language)
    writer = _Writer(invoice.number)
    writer.pdf.set_title(f"{doc.title} {doc.number}")
    writer.pdf.set_creator(invoice.seller.get("name", ""))
    _blocks(writer, doc)
    writer.row([_("Item"), _("Qty"), _("Unit price"), _("Tax rate"), _("Net")], bold=True)
    for line in doc.lines:
        writer.row([line["name"], str(line["quantity"]), line["unit"], line["rate"], line["net"]])
    writer.pdf.ln(3)
    writer.pair(_("Net total"), doc.subtotal)
    for tax in doc.taxes:
        writer.pair(
            _("%(label)s on %(net)s") % {"label": tax["label"], "net": tax["net"]}, tax["tax"]
        )
    writer.pair(_("Total"), doc.total, bold=True)
    writer.pdf.ln(5)
    for note in doc.notes:
        writer.line(note, size=9)
    return bytes(writer.pdf.output())
