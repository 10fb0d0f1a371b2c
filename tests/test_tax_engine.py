from datetime import date
from decimal import Decimal

import pytest

from checkout.tax import (
    REVERSE_CHARGE,
    BuyerLocation,
    InvalidTaxId,
    TaxLine,
    compute_tax,
    is_valid_tax_id,
)
from checkout.tax.rates import today_utc
from core.money import UnknownCurrency

# Pinned so that a future row in rates.csv cannot silently change what these cases assert.
ON = date(2026, 11, 1)

# Check-digit-valid VAT numbers (the examples python-stdnum documents and tests against).
DE_VAT = "DE136695976"
FR_VAT = "FR40303265045"
GR_VAT = "EL094259216"
AT_VAT = "ATU13585627"
GB_VAT = "GB980780684"


def line(amount, quantity=1, category="saas", included=False):
    return TaxLine(
        amount_minor=amount, quantity=quantity, tax_category=category, tax_included=included
    )


def where(country, region=None, *, business=False, tax_id=None):
    return BuyerLocation(country=country, region=region, is_business=business, tax_id=tax_id)


# (lines, currency, buyer, subtotal, tax, total, rate, tax_name, reverse_charge, line taxes)
CASES = {
    # EU-27 standard rates on digital services
    "de-excluded": ([line(10000)], "EUR", where("DE"), 10000, 1900, 11900, "19", "VAT"),
    "de-included-119": (
        [line(11900, included=True)], "EUR", where("DE"), 10000, 1900, 11900, "19", "VAT"
    ),
    "fr": ([line(2900)], "EUR", where("FR"), 2900, 580, 3480, "20", "VAT"),
    "ie": ([line(1000)], "EUR", where("IE"), 1000, 230, 1230, "23", "VAT"),
    "hu": ([line(1000)], "EUR", where("HU"), 1000, 270, 1270, "27", "VAT"),
    "lu": ([line(1000)], "EUR", where("LU"), 1000, 170, 1170, "17", "VAT"),
    "fi-25.5": (
        [line(999, category="ebook")], "EUR", where("FI"), 999, 255, 1254, "25.5", "VAT"
    ),
    "ee-24": ([line(1000)], "EUR", where("EE"), 1000, 240, 1240, "24", "VAT"),
    "sk-23": ([line(1000)], "EUR", where("SK"), 1000, 230, 1230, "23", "VAT"),
    "ro-21": ([line(1000)], "RON", where("RO"), 1000, 210, 1210, "21", "VAT"),
    "gr-24": ([line(1000)], "EUR", where("GR"), 1000, 240, 1240, "24", "VAT"),
    "nl-consulting-taxed": (
        [line(15000, category="consulting")], "EUR", where("NL"), 15000, 3150, 18150, "21", "VAT"
    ),
    "pl-professional-service": (
        [line(10000, category="professional_service")],
        "PLN", where("PL"), 10000, 2300, 12300, "23", "VAT",
    ),
    "se-included": (
        [line(9900, included=True)], "SEK", where("SE"), 7920, 1980, 9900, "25", "VAT"
    ),
    "dk-included-one-krone": (
        [line(100, included=True)], "DKK", where("DK"), 80, 20, 100, "25", "VAT"
    ),
    # EU reverse charge
    "rc-de-valid-id": (
        [line(10000)], "EUR", where("DE", business=True, tax_id=DE_VAT),
        10000, 0, 10000, "0", REVERSE_CHARGE, True,
    ),
    "rc-gr-el-prefix": (
        [line(10000)], "EUR", where("GR", business=True, tax_id=GR_VAT),
        10000, 0, 10000, "0", REVERSE_CHARGE, True,
    ),
    "rc-fr-id-without-prefix": (
        [line(10000)], "EUR", where("FR", business=True, tax_id="403 032 650 45"),
        10000, 0, 10000, "0", REVERSE_CHARGE, True,
    ),
    "rc-at-included-price-kept": (
        [line(12000, included=True)], "EUR", where("AT", business=True, tax_id=AT_VAT),
        12000, 0, 12000, "0", REVERSE_CHARGE, True,
    ),
    "de-business-without-id-pays-vat": (
        [line(10000)], "EUR", where("DE", business=True), 10000, 1900, 11900, "19", "VAT"
    ),
    # Outside the EU
    "gb": ([line(1000)], "GBP", where("GB"), 1000, 200, 1200, "20", "VAT"),
    "gb-business-no-reverse-charge": (
        [line(1000)], "GBP", where("GB", business=True, tax_id=GB_VAT),
        1000, 200, 1200, "20", "VAT",
    ),
    "no": ([line(10000)], "NOK", where("NO"), 10000, 2500, 12500, "25", "VAT"),
    "ch-8.1": ([line(10000)], "CHF", where("CH"), 10000, 810, 10810, "8.1", "VAT"),
    "is-isk-no-decimals": ([line(10000)], "ISK", where("IS"), 10000, 2400, 12400, "24", "VAT"),
    "au-included": (
        [line(11000, included=True)], "AUD", where("AU"), 10000, 1000, 11000, "10", "GST"
    ),
    "au-half-cent-rounds-up": ([line(5)], "AUD", where("AU"), 5, 1, 6, "10", "GST"),
    "nz": ([line(2000)], "NZD", where("NZ"), 2000, 300, 2300, "15", "GST"),
    "jp": ([line(1000)], "JPY", where("JP"), 1000, 100, 1100, "10", "Consumption tax"),
    "jp-included": (
        [line(1100, included=True)], "JPY", where("JP"), 1000, 100, 1100, "10", "Consumption tax"
    ),
    "jp-999-yen": ([line(999)], "JPY", where("JP"), 999, 100, 1099, "10", "Consumption tax"),
    "jp-quantity": (
        [line(333, quantity=3)], "JPY", where("JP"), 999, 100, 1099, "10", "Consumption tax"
    ),
    "sg-9": ([line(10000)], "SGD", where("SG"), 10000, 900, 10900, "9", "GST"),
    "kr": ([line(10000)], "KRW", where("KR"), 10000, 1000, 11000, "10", "VAT"),
    "in-igst": ([line(100000)], "INR", where("IN"), 100000, 18000, 118000, "18", "IGST"),
    # Canada
    "ca-on-hst": ([line(10000)], "CAD", where("CA", "ON"), 10000, 1300, 11300, "13", "HST"),
    "ca-ns-hst-14": ([line(10000)], "CAD", where("CA", "NS"), 10000, 1400, 11400, "14", "HST"),
    "ca-nb-hst-15": ([line(10000)], "CAD", where("CA", "NB"), 10000, 1500, 11500, "15", "HST"),
    "ca-qc-gst-qst": (
        [line(10000)], "CAD", where("CA", "QC"), 10000, 1498, 11498, "14.975", "GST + QST"
    ),
    "ca-bc-gst-pst": (
        [line(10000)], "CAD", where("CA", "BC"), 10000, 1200, 11200, "12", "GST + PST"
    ),
    "ca-bc-consulting-gst-only": (
        [line(10000, category="consulting")], "CAD", where("CA", "BC"),
        10000, 500, 10500, "5", "GST",
    ),
    "ca-sk-gst-pst": (
        [line(10000)], "CAD", where("CA", "SK"), 10000, 1100, 11100, "11", "GST + PST"
    ),
    "ca-mb-gst-rst": (
        [line(10000)], "CAD", where("CA", "MB"), 10000, 1200, 11200, "12", "GST + RST"
    ),
    "ca-ab-gst-only": ([line(10000)], "CAD", where("CA", "AB"), 10000, 500, 10500, "5", "GST"),
    "ca-no-province": ([line(10000)], "CAD", where("CA"), 10000, 500, 10500, "5", "GST"),
    # United States, state-level rates only
    "us-wa-saas": (
        [line(10000)], "USD", where("US", "WA"), 10000, 650, 10650, "6.5", "Sales tax"
    ),
    "us-tx-saas-80-percent": (
        [line(10000)], "USD", where("US", "TX"), 10000, 500, 10500, "5", "Sales tax"
    ),
    "us-tx-software": (
        [line(10000, category="software")], "USD", where("US", "TX"),
        10000, 625, 10625, "6.25", "Sales tax",
    ),
    "us-ny-saas": ([line(10000)], "USD", where("US", "NY"), 10000, 400, 10400, "4", "Sales tax"),
    "us-ny-ebook-untaxed": (
        [line(10000, category="ebook")], "USD", where("US", "NY"), 10000, 0, 10000, "0", None
    ),
    "us-pa-digital-goods": (
        [line(10000, category="digital_goods")], "USD", where("US", "PA"),
        10000, 600, 10600, "6", "Sales tax",
    ),
    "us-nj-saas-untaxed": (
        [line(10000)], "USD", where("US", "NJ"), 10000, 0, 10000, "0", None
    ),
    "us-nj-digital-goods": (
        [line(10000, category="digital_goods")], "USD", where("US", "NJ"),
        10000, 663, 10663, "6.625", "Sales tax",
    ),
    "us-ct-saas": (
        [line(10000)], "USD", where("US", "CT"), 10000, 635, 10635, "6.35", "Sales tax"
    ),
    "us-sd-4.2": (
        [line(10000)], "USD", where("US", "SD"), 10000, 420, 10420, "4.2", "Sales tax"
    ),
    "us-nm-gross-receipts": (
        [line(10000)], "USD", where("US", "NM"), 10000, 488, 10488, "4.875", "Gross receipts tax"
    ),
    "us-ca-untaxed-state": ([line(10000)], "USD", where("US", "CA"), 10000, 0, 10000, "0", None),
    "us-no-state": ([line(10000)], "USD", where("US"), 10000, 0, 10000, "0", None),
    "us-wa-consulting-untaxed": (
        [line(10000, category="consulting")], "USD", where("US", "WA"),
        10000, 0, 10000, "0", None,
    ),
    "us-fl-no-row": (
        [line(10000, category="ebook")], "USD", where("US", "FL"), 10000, 0, 10000, "0", None
    ),
    # Unknown jurisdictions
    "br-unknown-country": ([line(10000)], "BRL", where("BR"), 10000, 0, 10000, "0", None),
    "hk-unknown-included": (
        [line(5000, included=True)], "HKD", where("HK"), 5000, 0, 5000, "0", None
    ),
    # Three-decimal currencies
    "kwd-de-half-up": (
        [line(1250, quantity=3)], "KWD", where("DE"), 3750, 713, 4463, "19", "VAT"
    ),
    "bhd-fr-included": (
        [line(1200, included=True)], "BHD", where("FR"), 1000, 200, 1200, "20", "VAT"
    ),
    # Several lines
    "de-two-lines-quantities": (
        [line(2900, quantity=2), line(1500, quantity=3, category="ebook")],
        "EUR", where("DE"), 10300, 1957, 12257, "19", "VAT", False, (1102, 855),
    ),
    "de-rounded-once-not-per-line": (
        [line(3), line(3), line(3)],
        "EUR", where("DE"), 9, 2, 11, "19", "VAT", False, (1, 1, 0),
    ),
    "de-mixed-included-and-excluded": (
        [line(100, included=True), line(100)],
        "EUR", where("DE"), 184, 35, 219, "19", "VAT", False, (16, 19),
    ),
    "ca-bc-mixed-rates-largest-line": (
        [line(20000, category="consulting"), line(10000)],
        "CAD", where("CA", "BC"), 30000, 2200, 32200, "5", "GST", False, (1000, 1200),
    ),
    "us-ny-untaxed-largest-line-named-by-taxed": (
        [line(20000, category="ebook"), line(5000)],
        "USD", where("US", "NY"), 25000, 200, 25200, "0", "Sales tax", False, (0, 200),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_compute_tax(case):
    lines, currency, buyer, subtotal, tax, total, rate, tax_name, *rest = case
    reverse_charge = rest[0] if rest else False
    line_taxes = rest[1] if len(rest) > 1 else None

    result = compute_tax(lines=lines, currency=currency, buyer=buyer, on=ON)

    assert (result.subtotal_minor, result.tax_minor, result.total_minor) == (subtotal, tax, total)
    assert result.rate == Decimal(rate)
    assert result.tax_name == tax_name
    assert result.reverse_charge is reverse_charge
    assert result.currency == currency
    assert result.country == buyer.country
    assert len(result.lines) == len(lines)
    assert sum(x.subtotal_minor for x in result.lines) == subtotal
    assert sum(x.tax_minor for x in result.lines) == tax
    assert sum(x.total_minor for x in result.lines) == total
    if line_taxes is not None:
        assert tuple(x.tax_minor for x in result.lines) == line_taxes


def test_table_covers_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("country", "tax_id"),
    [
        ("DE", "DE136695977"),  # one check digit off
        ("DE", "12345"),
        ("FR", DE_VAT),  # valid, but another member state's number
        ("GR", "EL094259217"),
        ("AT", "U13585628"),
        ("IE", "not a vat number"),
    ],
)
def test_eu_business_with_invalid_vat_number_raises(country, tax_id):
    buyer = where(country, business=True, tax_id=tax_id)
    with pytest.raises(InvalidTaxId):
        compute_tax(lines=[line(10000)], currency="EUR", buyer=buyer, on=ON)


def test_invalid_tax_id_is_a_value_error_for_the_api_layer():
    assert issubclass(InvalidTaxId, ValueError)


def test_invalid_id_of_a_consumer_is_ignored():
    """Only a business claims reverse charge; a consumer's stray ID changes nothing."""
    buyer = where("DE", tax_id="garbage")
    result = compute_tax(lines=[line(10000)], currency="EUR", buyer=buyer, on=ON)
    assert (result.tax_minor, result.reverse_charge) == (1900, False)


def test_non_eu_business_id_is_not_validated():
    buyer = where("GB", business=True, tax_id="garbage")
    result = compute_tax(lines=[line(1000)], currency="GBP", buyer=buyer, on=ON)
    assert (result.tax_minor, result.tax_name, result.reverse_charge) == (200, "VAT", False)


@pytest.mark.parametrize(
    ("country", "tax_id", "valid"),
    [
        ("DE", DE_VAT, True),
        ("DE", "136695976", True),
        ("DE", "DE 136 695 976", True),
        ("DE", "de136695976", True),
        ("DE", "DE136695977", False),
        ("FR", FR_VAT, True),
        ("FR", "40303265045", True),
        ("FR", DE_VAT, False),
        ("GR", GR_VAT, True),
        ("GR", "094259216", True),
        ("AT", AT_VAT, True),
        ("AT", "U13585627", True),
        ("NL", "NL004495445B01", True),
        ("IE", "IE6388047V", True),
        ("DE", "", False),
        ("DE", "   ", False),
        ("GB", GB_VAT, True),
        ("GB", "980780684", True),
        ("GB", "GB980780685", False),
        ("NO", "NO974760673MVA", True),
        ("US", "12-3456789", True),  # no stdnum VAT module for the US: any non-empty value
        ("US", "", False),
    ],
)
def test_is_valid_tax_id(country, tax_id, valid):
    assert is_valid_tax_id(country=country, tax_id=tax_id) is valid


@pytest.mark.parametrize(
    ("country", "region", "on", "rate", "tax"),
    [
        ("DE", None, date(2020, 6, 30), "19", 1900),
        ("DE", None, date(2020, 7, 1), "16", 1600),
        ("DE", None, date(2020, 12, 31), "16", 1600),
        ("DE", None, date(2021, 1, 1), "19", 1900),
        ("FI", None, date(2024, 8, 31), "24", 2400),
        ("FI", None, date(2024, 9, 1), "25.5", 2550),
        ("EE", None, date(2025, 6, 30), "22", 2200),
        ("EE", None, date(2025, 7, 1), "24", 2400),
        ("SK", None, date(2024, 12, 31), "20", 2000),
        ("SK", None, date(2025, 1, 1), "23", 2300),
        ("RO", None, date(2025, 7, 31), "19", 1900),
        ("RO", None, date(2025, 8, 1), "21", 2100),
        ("SG", None, date(2023, 12, 31), "8", 800),
        ("SG", None, date(2024, 1, 1), "9", 900),
        ("CH", None, date(2023, 12, 31), "7.7", 770),
        ("CA", "NS", date(2025, 3, 31), "15", 1500),
        ("CA", "NS", date(2025, 4, 1), "14", 1400),
        ("US", "SD", date(2023, 6, 30), "4.5", 450),
        ("US", "SD", date(2023, 7, 1), "4.2", 420),
        ("US", "PA", date(2016, 7, 31), "0", 0),  # digital products taxed from 2016-08-01
    ],
)
def test_effective_dates(country, region, on, rate, tax):
    result = compute_tax(lines=[line(10000)], currency="EUR", buyer=where(country, region), on=on)
    assert result.rate == Decimal(rate)
    assert result.tax_minor == tax


def test_before_the_table_horizon_nothing_applies():
    result = compute_tax(
        lines=[line(10000)], currency="EUR", buyer=where("DE"), on=date(2014, 12, 31)
    )
    assert (result.tax_minor, result.tax_name) == (0, None)


def test_on_defaults_to_today_utc():
    today = compute_tax(lines=[line(10000)], currency="EUR", buyer=where("FI"))
    pinned = compute_tax(lines=[line(10000)], currency="EUR", buyer=where("FI"), on=today_utc())
    assert today == pinned


def test_region_and_country_are_normalized():
    result = compute_tax(lines=[line(10000)], currency="USD", buyer=where("us", "us-tx"), on=ON)
    assert (result.country, result.region, result.tax_minor) == ("US", "TX", 500)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount_minor": 10.0, "quantity": 1, "tax_category": "saas", "tax_included": False},
        {"amount_minor": Decimal(10), "quantity": 1, "tax_category": "saas", "tax_included": False},
        {"amount_minor": -1, "quantity": 1, "tax_category": "saas", "tax_included": False},
        {"amount_minor": True, "quantity": 1, "tax_category": "saas", "tax_included": False},
        {"amount_minor": 100, "quantity": 0, "tax_category": "saas", "tax_included": False},
        {"amount_minor": 100, "quantity": 1, "tax_category": "food", "tax_included": False},
        {"amount_minor": 100, "quantity": 1, "tax_category": "saas", "tax_included": "yes"},
    ],
)
def test_tax_line_refuses_what_is_not_an_exact_line(kwargs):
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies with the field
        TaxLine(**kwargs)


def test_empty_order_is_refused():
    with pytest.raises(ValueError, match="at least one line"):
        compute_tax(lines=[], currency="EUR", buyer=where("DE"), on=ON)


def test_unknown_currency_is_refused():
    with pytest.raises(UnknownCurrency):
        compute_tax(lines=[line(100)], currency="XXX", buyer=where("DE"), on=ON)
