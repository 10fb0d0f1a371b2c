"""Every field of the invoice PDF, in every script it is written in (en, de, ja, zh-Hans, ar),
read back from the PDF and compared with the document model the HTML page shows (babel's
figures and dates, the catalogs' labels): title and number, test-mode note, date, seller,
buyer with the country's name, the lines' header and each line's cells, net total, tax by
rate, total and the reverse-charge note. Each drawn run must be the expected field, in the
page's order (mirrored in Arabic: table cells from the right), and each glyph must be the
one the system font draws for the character it claims to be (``tests.pdf_glyphs``).
"""

import itertools
import logging

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from orders.invoices_document import document_text
from orders.invoices_fonts import script_font
from orders.invoices_pdf import RTL_LETTERS, invoice_pdf
from orders.models import Invoice
from tests.email_support import pay
from tests.factories import ProductFactory, StoreFactory
from tests.pdf_glyphs import drawn, read_pdf, run_box, run_text, wrong_glyphs

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "de", "ja", "zh-Hans", "ar"]
FONTS = {
    "en": "Helvetica",
    "de": "Helvetica",
    "ja": "NotoSansCJKJP",
    "zh-Hans": "NotoSansCJKSC",
    "ar": "DejaVuSans",
}
BUYERS = {
    "consumer": {"country": "DE"},
    "reverse charge": {
        "country": "FR",
        "isBusiness": True,
        "businessName": "Acme SAS",
        "taxId": "FR40303265045",
    },
}
_SPACES = str.maketrans({"\xa0": " ", "\u202f": " "})


@pytest.fixture
def shop(merchant):
    return StoreFactory(owner=merchant, name="Acme Tools", slug="acme-tools")


def _invoice(shop, language: str, buyer: str) -> Invoice:
    product = ProductFactory(store=shop, name="Setup Guide")
    return Invoice.objects.get(order=pay(product, language=language, **BUYERS[buyer]))


def _expected(invoice: Invoice, language: str) -> tuple[list[tuple[str, bool]], list[str]]:
    """The runs the page should draw (logical order; True for a table cell), then its
    notes, which may wrap."""
    rtl = language == "ar"

    def row(cells: list[str]) -> list[tuple[str, bool]]:
        return [(cell, True) for cell in (cells[::-1] if rtl else cells)]

    with translation.override(language):
        doc = document_text(invoice)
        lines = [f"{doc.title} {doc.number}"]
        lines += [_("Test mode: not a tax document.")] if doc.test_mode else []
        lines += [doc.date, _("From"), *doc.seller, _("Bill to"), *doc.buyer]
        runs = [(line, False) for line in lines]
        runs += row([_("Item"), _("Qty"), _("Unit price"), _("Tax rate"), _("Net")])
        for line in doc.lines:
            runs += row(
                [line["name"], str(line["quantity"]), line["unit"], line["rate"], line["net"]]
            )
        runs += row([_("Net total"), doc.subtotal])
        for tax in doc.taxes:
            label = _("%(label)s on %(net)s") % {"label": tax["label"], "net": tax["net"]}
            runs += row([label, tax["tax"]])
        runs += row([_("Total"), doc.total])
    return runs, doc.notes


def _same(run: tuple[str, str], value: str, *, rtl: bool = False) -> bool:
    """``rtl``: laid out right to left (Arabic text, table cells of an Arabic page), else
    in the direction of its first strong character, as the PDF is asked to."""
    text, marks = run
    want_text, want_marks = drawn(value, rtl=rtl or bool(RTL_LETTERS.search(value)))
    return (text.translate(_SPACES), marks) == (want_text.translate(_SPACES), want_marks)


def _match_notes(runs: list[tuple[str, str]], notes: list[str]) -> None:
    """Each note, wrapped over one run or more: each run must be the next words of it."""
    for note in notes:
        words = note.split(" ")
        while words:
            assert runs, f"note not drawn: {' '.join(words)!r}"
            run = runs.pop(0)
            taken = next(
                (k for k in range(len(words), 0, -1) if _same(run, " ".join(words[:k]))), 0
            )
            assert taken, (run, " ".join(words))
            words = words[taken:]
    assert not runs, runs


@pytest.mark.parametrize("buyer", BUYERS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_field_of_the_pdf_is_the_documents(shop, language, buyer):
    invoice = _invoice(shop, language, buyer)
    data = invoice_pdf(invoice)
    expected, notes = _expected(invoice, language)
    drawn_runs = read_pdf(data)[0]
    runs = [run_text(run) for run in drawn_runs]
    rtl = language == "ar"
    for index, (value, cell) in enumerate(expected):
        assert index < len(runs), f"{value!r} not drawn"
        assert _same(runs[index], value, rtl=rtl and cell), (index, value, runs[index])
    _match_notes(runs[len(expected) :], notes)
    assert bool(notes) == (buyer == "reverse charge")
    table = zip(drawn_runs[: len(expected)], expected, strict=True)  # the notes come after
    cells = [run_box(run) for run, (_value, cell) in table if cell]
    _assert_apart(cells)


def _assert_apart(cells: list[tuple[float, float, float]]) -> None:
    """The cells of each table row (same baseline) stand apart, 3 pt at least."""
    rows: dict[float, list[tuple[float, float]]] = {}
    for left, right, baseline in cells:
        rows.setdefault(round(baseline), []).append((left, right))
    assert len(rows) >= 4  # header, a line, net total, tax, total
    for baseline, boxes in rows.items():
        boxes.sort()
        for (_left, right), (left, _right) in itertools.pairwise(boxes):
            assert left - right >= 3, (baseline, boxes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_glyph_is_the_system_fonts_glyph_for_its_character(shop, language):
    invoice = _invoice(shop, language, "reverse charge")
    data = invoice_pdf(invoice)
    fonts = read_pdf(data)[1]
    names = sorted(font.base for font in fonts.values())
    assert len(names) == 2 and all(name.startswith(FONTS[language]) for name in names), names
    script = script_font(language.lower())
    if script is None:  # Helvetica: no embedded program to compare
        assert all(font.simple for font in fonts.values())
        return
    faces = {
        font.base: (
            str((script.bold if "Bold" in font.base else script.regular).path),
            (script.bold if "Bold" in font.base else script.regular).index,
        )
        for font in fonts.values()
    }
    assert wrong_glyphs(data, faces, shaped=script.rtl) == []


def test_a_buyers_character_the_script_font_lacks_is_logged(shop, caplog):
    product = ProductFactory(store=shop, name="Setup Guide")
    order = pay(product, language="ja", country="JP", isBusiness=True, businessName="شركة Acme")
    invoice = Invoice.objects.get(order=order)
    with caplog.at_level(logging.WARNING, logger="orders.invoices_pdf"):
        invoice_pdf(invoice)
    assert invoice.number in caplog.text and "شركة Acme" in caplog.text
