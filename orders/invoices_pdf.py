"""Invoices as PDF, drawn with fpdf2.

fpdf2 is pure Python (fontTools, Pillow, defusedxml; uharfbuzz for shaping, all wheels),
actively released, and draws text that PDF readers and ``pypdf`` extract again; WeasyPrint
or xhtml2pdf would render the HTML page instead but need Pango/Cairo system libraries.

Latin-script languages draw in the built-in Helvetica (Windows-1252: Western European text,
€, “ ” —). Japanese, Chinese and Arabic draw in one system font per document that also
covers Latin and digits (``orders.invoices_fonts`` says which and why never fallback fonts);
Arabic is shaped by HarfBuzz and laid out right to left, the page mirrored: text from the
right margin, the item column on the right. Figures are the HTML page's (babel, the buyer's
locale: Latin digits in Arabic as well, babel's default numbering system), so the PDF and
the page never disagree. Columns are as wide as their widest entry and the description takes
the rest, wrapping, so no two columns overlap whatever the language's labels.

Where the script font is missing the document keeps English labels with a warning in the
log, and the HTML page and the email beside the PDF stay fully translated. A character of
the buyer's data Helvetica lacks is printed as ``?`` with a warning naming the document, so
it never happens silently; ``INVOICE_PDF_FONT`` names a Unicode TrueType font for that.
"""

import hashlib
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from orders.invoices_document import DEFAULT_LOCALE, DocumentText, catalog_language, document_text
from orders.invoices_fonts import ScriptFont, expected_font, script_font
from orders.invoices_models import Invoice

logger = logging.getLogger(__name__)
_CORE_ENCODING = "windows-1252"
PDF_CACHE_SECONDS = 24 * 3600  # a drawn document, reused by downloads and resends
NON_LATIN_LANGUAGES = ("ja", "zh-hans", "ar")  # labels Helvetica cannot draw
_PADDING = 1.5  # mm each side of a table cell
_MIN_ITEM_WIDTH = 60  # mm the description keeps before the figures' columns shrink it
_MIN_FIGURE_WIDTH = 18  # mm, so short figures still stand apart
_BOLD = FontFace(emphasis="BOLD")
_INVISIBLE = set("\u200e\u200f\u061c\u2066\u2067\u2068\u2069\n")  # bidi marks, shaped away
RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")  # Hebrew, Arabic


class _Writer:
    """The page in one font family, written from the left margin, or mirrored from the
    right one for a right-to-left language."""

    def __init__(self, number: str = "", script: ScriptFont | None = None) -> None:
        self.number = number
        self.warned: set[str] = set()  # each value the font cannot draw is logged once
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.c_margin = _PADDING
        self.pdf.add_page()
        self.family, self.unicode, self.rtl = "helvetica", False, False
        if script is not None:
            self._add("script", script.regular.path, script.bold.path, script)
            self.rtl = script.rtl
            if self.rtl:
                self.pdf.set_text_shaping(use_shaping_engine=True)
        elif settings.INVOICE_PDF_FONT:
            self._add("invoice", settings.INVOICE_PDF_FONT, settings.INVOICE_PDF_FONT)
        else:
            self.pdf.core_fonts_encoding = _CORE_ENCODING

    def _add(
        self, family: str, regular: str | Path, bold: str | Path, script: ScriptFont | None = None
    ) -> None:
        regular_index = script.regular.index if script else 0
        bold_index = script.bold.index if script else 0
        self.pdf.add_font(family, fname=str(regular), collection_font_number=regular_index)
        self.pdf.add_font(family, "B", fname=str(bold), collection_font_number=bold_index)
        self.family, self.unicode = family, True

    def start(self, align: str) -> str:
        """``align`` as written for a left-to-right page, mirrored for a right-to-left one."""
        if not self.rtl:
            return align
        return {"L": "R", "R": "L"}.get(align, align)

    def direction(self, *, rtl: bool) -> None:
        """On a right-to-left page, a paragraph with Arabic letters and every table cell
        read right to left (an Arabic phrase with a Latin tax name and an amount, such as
        "VAT 19% on 29.00 US$", is still an Arabic phrase); other paragraphs (the Latin
        addresses, emails, IDs) take their own direction, first strong character, so
        "1 Example Street" is not drawn "Example Street 1"."""
        if self.rtl:
            self.pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else None)

    def text(self, value: str) -> str:
        if self.unicode:
            cmap = self.pdf.current_font.cmap
            missing = "".join(sorted({c for c in value if ord(c) not in cmap} - _INVISIBLE))
            if missing and value not in self.warned:
                self.warned.add(value)
                logger.warning(
                    "Invoice PDF %s: %s cannot draw %r of %r",
                    self.number,
                    self.pdf.current_font.fontkey,
                    missing,
                    value,
                )
            return value
        try:
            return value.encode(_CORE_ENCODING).decode(_CORE_ENCODING)
        except UnicodeEncodeError:
            if value in self.warned:
                return value.encode(_CORE_ENCODING, "replace").decode(_CORE_ENCODING)
            self.warned.add(value)
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
        self.direction(rtl=bool(RTL_LETTERS.search(value)))
        self.pdf.multi_cell(
            0, height, self.text(value), align=self.start("L"), new_x="LMARGIN", new_y="NEXT"
        )

    def width(self, value: str, *, bold: bool = False) -> float:
        """What ``value`` needs in a table cell at the table's 9 pt, padding included."""
        self.font(9, bold)
        return self.pdf.get_string_width(self.text(value)) + 4 * _PADDING + 1

    def table(
        self, rows: Sequence[Sequence[str]], *, aligns: str, headings: bool, bold_last: bool
    ) -> None:
        """A borderless table: each column but the first as wide as its widest cell (all
        rows, headings in bold), the first (descriptions, labels) takes the rest and wraps."""
        figures = [
            max(
                _MIN_FIGURE_WIDTH,
                *(
                    self.width(row[col], bold=bold)
                    for row, bold in zip(rows, self._bold(rows, headings, bold_last), strict=True)
                ),
            )
            for col in range(1, len(rows[0]))
        ]
        first = max(self.pdf.epw - sum(figures), _MIN_ITEM_WIDTH)
        widths = [first, *figures]
        if sum(widths) > self.pdf.epw:  # the figures' columns shrink in proportion
            scale = (self.pdf.epw - first) / sum(figures)
            widths = [first, *(w * scale for w in figures)]
        order = slice(None, None, -1) if self.rtl else slice(None)
        self.font(9)
        self.direction(rtl=True)
        with self.pdf.table(
            col_widths=widths[order],
            text_align=tuple(self.start(a) for a in aligns)[order],
            borders_layout="NONE",
            first_row_as_headings=headings,
            headings_style=_BOLD,
            line_height=5,
            padding=(0.8, _PADDING),
            width=self.pdf.epw,
        ) as table:
            for cells, bold in zip(rows, self._bold(rows, headings, bold_last), strict=True):
                row = table.row(style=_BOLD if bold and not headings else None)
                for value in list(cells)[order]:
                    row.cell(self.text(value))

    @staticmethod
    def _bold(rows: Sequence, headings: bool, bold_last: bool) -> list[bool]:
        last = len(rows) - 1
        return [(headings and i == 0) or (bold_last and i == last) for i in range(len(rows))]


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


def _totals(writer: _Writer, doc: DocumentText) -> None:
    """Net total, tax by rate and the total, right under the figures (left on an RTL page);
    the total in bold."""
    rows = [(_("Net total"), doc.subtotal)]
    rows += [
        (_("%(label)s on %(net)s") % {"label": tax["label"], "net": tax["net"]}, tax["tax"])
        for tax in doc.taxes
    ]
    rows.append((_("Total"), doc.total))
    writer.table(rows, aligns="RR", headings=False, bold_last=True)
    writer.pdf.ln(5)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The document in the checkout's language (else the store's, else English); English
    labels for a language whose font is not installed."""
    language = catalog_language(invoice.language)
    script = script_font(language) if language in NON_LATIN_LANGUAGES else None
    if language in NON_LATIN_LANGUAGES and script is None:
        logger.warning(
            "Invoice PDF %s: no font for %r, expected %s (scripts/ensure-fonts); English labels",
            invoice.number,
            language,
            expected_font(language),
        )
    fallback = script is None and not settings.INVOICE_PDF_FONT and language in NON_LATIN_LANGUAGES
    with translation.override("en" if fallback else language):
        doc = document_text(invoice, language=DEFAULT_LOCALE if fallback else "")
        # A document never changes once issued, but drawing one in a CJK font takes seconds
        # (the font is read and subset each time): the receipt email draws it first, and the
        # buyer's downloads reuse it. The key is everything drawn, so nothing stale is served.
        key = "invoice-pdf:" + hashlib.sha256(repr((doc, script, language)).encode()).hexdigest()
        drawn = cache.get(key)
        if drawn is None:
            drawn = _draw(invoice, doc, script)
            cache.set(key, drawn, PDF_CACHE_SECONDS)
        return drawn


def _draw(invoice: Invoice, doc: DocumentText, script: ScriptFont | None) -> bytes:
    writer = _Writer(invoice.number, script)
    writer.pdf.set_title(f"{doc.title} {doc.number}")
    writer.pdf.set_creator(invoice.seller.get("name", ""))
    writer.pdf.set_lang(translation.get_language() or "en")
    _blocks(writer, doc)
    head = [_("Item"), _("Qty"), _("Unit price"), _("Tax rate"), _("Net")]
    body = [
        [line["name"], str(line["quantity"]), line["unit"], line["rate"], line["net"]]
        for line in doc.lines
    ]
    writer.table([head, *body], aligns="LRRRR", headings=True, bold_last=False)
    writer.pdf.ln(3)
    _totals(writer, doc)
    for note in doc.notes:
        writer.line(note, size=9)
    return bytes(writer.pdf.output())
