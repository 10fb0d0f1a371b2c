"""Invoices as PDF, drawn with fpdf2.

fpdf2 is pure Python (its only dependencies are fontTools, Pillow and defusedxml, all
wheels), actively released, and draws text that PDF readers and ``pypdf`` extract again;
WeasyPrint or xhtml2pdf would render the HTML page instead but need Pango/Cairo system
libraries. The built-in Helvetica covers Windows-1252 (Western European text, €, “ ” —);
``INVOICE_PDF_FONT`` names a TrueType font for anything beyond, and without one a character
the font lacks is printed as ``?`` rather than failing the email that carries the PDF.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from orders.invoices_document import DocumentText, document_text
from orders.invoices_models import Invoice

_CORE_ENCODING = "windows-1252"
_COLUMNS = ((78, "L"), (14, "R"), (26, "R"), (18, "R"), (0, "R"))  # item, qty, unit, rate, net


class _Writer:
    def __init__(self) -> None:
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
    """The document in the checkout's language (English until the catalogs translate it)."""
    with translation.override(invoice.language or settings.LANGUAGE_CODE):
        return _draw(invoice)


def _draw(invoice: Invoice) -> bytes:
    doc = document_text(invoice)
    writer = _Writer()
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
