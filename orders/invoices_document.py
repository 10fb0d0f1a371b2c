"""What an invoice or credit note shows, as text in the buyer's locale: one description that
both the HTML page and the PDF draw, so the two never disagree.

Money and rates are written by babel the way the buyer's locale writes them (``27,00 €`` in
de_DE); the locale is the checkout's language when the session had one, else en_US.
"""

from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_percent
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from checkout.web.locale import resolve_locale
from core.money import format_localized
from orders.invoices_models import Invoice

DEFAULT_LOCALE = "en_US"
REVERSE_CHARGE_NOTE = gettext_noop(
    "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council "
    "Directive 2006/112/EC)."
)


@dataclass(frozen=True)
class DocumentText:
    title: str
    number: str
    date: str
    credited_number: str
    seller: list[str]
    buyer: list[str]
    lines: list[dict]
    taxes: list[dict]
    subtotal: str
    tax: str
    total: str
    notes: list[str]
    test_mode: bool


def catalog_language(language: str) -> str:
    """The catalog a document or email is written with: ``language`` when the pages are
    translated into it (``de-DE`` reads the ``de`` catalog), else English."""
    return resolve_locale(language=language or "en").language


def invoice_locale(language: str) -> str:
    try:
        return str(Locale.parse((language or DEFAULT_LOCALE).replace("_", "-"), sep="-"))
    except (ValueError, TypeError, UnknownLocaleError):
        return DEFAULT_LOCALE


def _country(code: str, locale: str) -> str:
    return Locale.parse(locale).territories.get(code, code) if code else ""


def _seller(invoice: Invoice) -> list[str]:
    seller = invoice.seller
    rows = [seller["name"], *seller.get("address", [])]
    if seller.get("vat_id"):
        rows.append(_("VAT ID: %(id)s") % {"id": seller["vat_id"]})
    return rows


def _buyer(invoice: Invoice, locale: str) -> list[str]:
    buyer = invoice.buyer
    rows = [buyer.get("business_name") or "", buyer.get("email") or ""]
    place = " ".join(part for part in (buyer.get("postcode"), buyer.get("state")) if part)
    rows += [place, _country(buyer.get("country") or "", locale)]
    if buyer.get("tax_id"):
        rows.append(_("VAT ID: %(id)s") % {"id": buyer["tax_id"]})
    return [row for row in rows if row]


def _rate(rate: str, locale: str) -> str:
    return format_percent(Decimal(rate) / 100, locale=locale, decimal_quantization=False)


# The platform's own wording around a row (a plan change's parts, a refund) is ours to
# translate; a product's name is the merchant's and stays as written.
_ROW_WORDING = {
    "unused_time": gettext_lazy("Unused time on %(plan)s"),
    "remaining_time": gettext_lazy("Remaining time on %(plan)s"),
    "plan_change": gettext_lazy("Plan change to %(plan)s"),
}


def _line_name(line: dict, credited_number: str) -> str:
    kind = line.get("kind")
    if kind == "credit":
        return _(line["name"])
    if kind == "refund" and credited_number:
        return _("Refund against invoice %(number)s") % {"number": credited_number}
    if kind in _ROW_WORDING:
        return _ROW_WORDING[kind] % {"plan": line["name"]}
    return line["name"]


def document_text(invoice: Invoice, *, language: str = "") -> DocumentText:
    """``language`` overrides the invoice's for dates and money (the PDF's English fallback)."""
    locale = invoice_locale(language or invoice.language)
    currency = invoice.currency
    sign = -1 if invoice.is_credit_note else 1

    def money(minor: int) -> str:
        return format_localized(sign * minor, currency, locale)

    credited = invoice.credited_invoice.number if invoice.credited_invoice_id else ""
    lines = [
        {
            "name": _line_name(line, credited),
            "quantity": line["quantity"],
            "unit": format_localized(sign * line["unit_amount_minor"], currency, locale),
            "rate": _rate(line["tax_rate"], locale),
            "net": money(line["subtotal_minor"]),
            "tax": money(line["tax_minor"]),
            "total": money(line["total_minor"]),
        }
        for line in invoice.lines
    ]
    taxes = [
        {
            "label": f"{row['name'] or _('Tax')} {_rate(row['rate'], locale)}",
            "net": money(row["net_minor"]),
            "tax": money(row["tax_minor"]),
        }
        for row in invoice.tax_breakdown
    ]
    notes = [_(REVERSE_CHARGE_NOTE)] if invoice.reverse_charge else []
    if credited:
        notes.append(_("This credit note corrects invoice %(number)s.") % {"number": credited})
    return DocumentText(
        title=_("Credit note") if invoice.is_credit_note else _("Invoice"),
        number=invoice.number,
        date=format_date(invoice.issued_at.date(), format="long", locale=locale),
        credited_number=credited,
        seller=_seller(invoice),
        buyer=_buyer(invoice, locale),
        lines=lines,
        taxes=taxes,
        subtotal=money(invoice.subtotal_minor),
        tax=money(invoice.tax_minor),
        total=money(invoice.total_minor),
        notes=notes,
        test_mode=invoice.environment != "prod",
    )
