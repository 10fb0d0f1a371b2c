from datetime import date
from decimal import Decimal

import pytest

from checkout.tax import EU_COUNTRIES, TAX_CATEGORIES, RateTableError, load_rates, rate_for
from checkout.tax.rates import COLUMNS, RATES_CSV, default_table

ON = date(2026, 11, 1)
HEADER = ",".join(COLUMNS)
DIGITAL = ("digital_goods", "saas", "software", "ebook", "online_course")

# Standard rates in force on ON, checked one by one against the sources cited in rates.csv.
EU_STANDARD_RATES = {
    "AT": "20", "BE": "21", "BG": "20", "HR": "25", "CY": "19", "CZ": "21", "DK": "25",
    "EE": "24", "FI": "25.5", "FR": "20", "DE": "19", "GR": "24", "HU": "27", "IE": "23",
    "IT": "22", "LV": "21", "LT": "21", "LU": "17", "MT": "18", "NL": "21", "PL": "23",
    "PT": "23", "RO": "21", "SK": "23", "SI": "22", "ES": "21", "SE": "25",
}  # fmt: skip


def write_csv(tmp_path, *rows, header=HEADER):
    path = tmp_path / "rates.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_real_table_loads_and_is_cached():
    table = load_rates(RATES_CSV)
    assert len(table.rows) > 150
    assert default_table() is default_table()
    assert default_table().rows == table.rows


def test_every_row_has_a_source_and_an_effective_date():
    for row in default_table().rows:
        assert row.source.strip(), row
        assert isinstance(row.effective_from, date), row
        assert date(2015, 1, 1) <= row.effective_from <= ON, row


def test_every_category_is_known_and_every_rate_is_a_sane_percentage():
    for row in default_table().rows:
        assert row.category == "*" or row.category in TAX_CATEGORIES, row
        assert Decimal(0) <= row.rate < Decimal(30), row
        assert (row.tax_name is None) == (row.rate == 0), row


def test_eu_has_twenty_seven_members_with_iso_codes():
    assert len(EU_COUNTRIES) == 27
    assert "GR" in EU_COUNTRIES
    assert "EL" not in EU_COUNTRIES
    assert "GB" not in EU_COUNTRIES


@pytest.mark.parametrize(("country", "rate"), sorted(EU_STANDARD_RATES.items()))
def test_every_eu_country_has_its_current_standard_rate(country, rate):
    assert country in EU_COUNTRIES
    for category in TAX_CATEGORIES:
        row = rate_for(country=country, region=None, tax_category=category, on=ON)
        assert row is not None
        assert (row.rate, row.tax_name) == (Decimal(rate), "VAT")


def test_eu_rate_map_covers_the_whole_union():
    assert set(EU_STANDARD_RATES) == EU_COUNTRIES


@pytest.mark.parametrize(
    ("country", "region", "rate", "tax_name"),
    [
        ("GB", None, "20", "VAT"),
        ("NO", None, "25", "VAT"),
        ("CH", None, "8.1", "VAT"),
        ("IS", None, "24", "VAT"),
        ("AU", None, "10", "GST"),
        ("NZ", None, "15", "GST"),
        ("JP", None, "10", "Consumption tax"),
        ("SG", None, "9", "GST"),
        ("KR", None, "10", "VAT"),
        ("IN", None, "18", "IGST"),
        ("CA", None, "5", "GST"),
        ("CA", "AB", "5", "GST"),
        ("CA", "YT", "5", "GST"),
        ("CA", "ON", "13", "HST"),
        ("CA", "NB", "15", "HST"),
        ("CA", "NL", "15", "HST"),
        ("CA", "PE", "15", "HST"),
        ("CA", "NS", "14", "HST"),
        ("CA", "QC", "14.975", "GST + QST"),
        ("CA", "BC", "12", "GST + PST"),
        ("CA", "SK", "11", "GST + PST"),
        ("CA", "MB", "12", "GST + RST"),
    ],
)
def test_non_eu_coverage(country, region, rate, tax_name):
    row = rate_for(country=country, region=region, tax_category="saas", on=ON)
    assert row is not None
    assert (row.rate, row.tax_name) == (Decimal(rate), tax_name)


def test_us_covers_at_least_fifteen_states_with_every_digital_category():
    states = {
        row.region
        for row in default_table().rows
        if row.country == "US" and row.category in DIGITAL
    }
    assert len(states) >= 15
    for state in states:
        for category in DIGITAL:
            assert rate_for(country="US", region=state, tax_category=category, on=ON), (
                state,
                category,
            )


def test_us_rows_are_state_level_and_never_tax_services():
    for row in default_table().rows:
        if row.country == "US":
            assert row.region is not None, row
            assert row.category in (*DIGITAL, "physical_goods"), row


# The 45 states with a statewide sales tax, at their state rate in force on ON; the five
# without one answer 0 % with no tax name (a checked exemption, not a gap).
STATE_RATES_ON_GOODS = {
    "AL": "4", "AZ": "5.6", "AR": "6.5", "CA": "7.25", "CO": "2.9", "CT": "6.35", "FL": "6",
    "GA": "4", "HI": "4", "ID": "6", "IL": "6.25", "IN": "7", "IA": "6", "KS": "6.5", "KY": "6",
    "LA": "5", "ME": "5.5", "MD": "6", "MA": "6.25", "MI": "6", "MN": "6.875", "MS": "7",
    "MO": "4.225", "NE": "5.5", "NV": "6.85", "NJ": "6.625", "NM": "4.875", "NY": "4",
    "NC": "4.75", "ND": "5", "OH": "5.75", "OK": "4.5", "PA": "6", "RI": "7", "SC": "6",
    "SD": "4.2", "TN": "7", "TX": "6.25", "UT": "4.85", "VT": "6", "VA": "4.3", "WA": "6.5",
    "WV": "6", "WI": "5", "WY": "4",
}  # fmt: skip


@pytest.mark.parametrize(("state", "rate"), sorted(STATE_RATES_ON_GOODS.items()))
def test_physical_goods_pay_the_state_sales_tax(state, rate):
    row = rate_for(country="US", region=state, tax_category="physical_goods", on=ON)
    assert row is not None and row.rate == Decimal(rate) and row.tax_name, (state, row)


@pytest.mark.parametrize("state", ["AK", "DE", "MT", "NH", "OR"])
def test_physical_goods_are_untaxed_where_there_is_no_state_sales_tax(state):
    row = rate_for(country="US", region=state, tax_category="physical_goods", on=ON)
    assert row is not None and row.rate == 0 and not row.tax_name


@pytest.mark.parametrize(
    ("country", "region", "rate"),
    [("DE", None, "19"), ("FR", None, "20"), ("GB", None, "20"), ("AU", None, "10"),
     ("CA", "ON", "13"), ("CA", "AB", "5"), ("JP", None, "10")],
)  # fmt: skip
def test_physical_goods_pay_vat_and_gst_at_the_standard_rate(country, region, rate):
    row = rate_for(country=country, region=region, tax_category="physical_goods", on=ON)
    assert row is not None and row.rate == Decimal(rate)


def test_two_t_shirts_shipped_to_san_francisco_are_taxed():
    from checkout.tax import BuyerLocation, TaxLine, compute_tax

    result = compute_tax(
        lines=[
            TaxLine(
                amount_minor=2900, quantity=2, tax_category="physical_goods", tax_included=False
            )
        ],
        currency="USD",
        buyer=BuyerLocation(country="US", region="CA"),
        on=ON,
    )

    assert (result.subtotal_minor, result.tax_minor, result.total_minor) == (5800, 421, 6221)


@pytest.mark.parametrize(
    ("state", "category", "rate"),
    [
        ("TX", "saas", "5"),  # 80 % of 6.25 %
        ("TX", "software", "6.25"),
        ("NY", "saas", "4"),
        ("NY", "digital_goods", "0"),
        ("MA", "saas", "6.25"),
        ("MA", "ebook", "0"),
        ("NJ", "saas", "0"),
        ("NJ", "digital_goods", "6.625"),
        ("OH", "saas", "0"),
        ("OH", "ebook", "5.75"),
        ("UT", "saas", "4.85"),
        ("IA", "saas", "6"),
        ("AZ", "saas", "5.6"),
        ("HI", "saas", "4"),
    ],
)
def test_us_per_category_rows(state, category, rate):
    row = rate_for(country="US", region=state, tax_category=category, on=ON)
    assert row is not None
    assert row.rate == Decimal(rate)


@pytest.mark.parametrize(
    ("country", "region", "category"),
    [
        ("US", "CA", "saas"),
        ("US", "OR", "ebook"),
        ("US", None, "saas"),
        ("US", "WA", "consulting"),
        ("US", "NY", "professional_service"),
        ("BR", None, "saas"),
        ("AE", None, "software"),
    ],
)
def test_unknown_jurisdictions_have_no_row(country, region, category):
    assert rate_for(country=country, region=region, tax_category=category, on=ON) is None


def test_unknown_category_is_a_caller_bug():
    with pytest.raises(ValueError, match="unknown tax category"):
        rate_for(country="DE", region=None, tax_category="groceries", on=ON)


def test_lookup_normalizes_case_and_country_prefixed_regions():
    row = rate_for(country="ca", region="ca-qc", tax_category="ebook", on=ON)
    assert row is not None
    assert (row.country, row.region, row.rate) == ("CA", "QC", Decimal("14.975"))


PRECEDENCE_ROWS = (
    "XA,,*,10,Tax,2020-01-01,country wide",
    "XA,,ebook,5,Tax,2020-01-01,country ebook",
    "XA,R1,*,20,Tax,2020-01-01,region wide",
    "XA,R1,ebook,15,Tax,2020-01-01,region ebook",
    "XA,R2,*,30,Tax,2023-01-01,region starting later",
    "XA,R3,consulting,0,,2020-01-01,region exemption",
)


@pytest.mark.parametrize(
    ("region", "category", "on", "source"),
    [
        (None, "saas", date(2024, 1, 1), "country wide"),
        (None, "ebook", date(2024, 1, 1), "country ebook"),
        ("R1", "saas", date(2024, 1, 1), "region wide"),
        ("R1", "ebook", date(2024, 1, 1), "region ebook"),
        ("R9", "ebook", date(2024, 1, 1), "country ebook"),
        ("R2", "saas", date(2024, 1, 1), "region starting later"),
        ("R2", "ebook", date(2024, 1, 1), "region starting later"),
        ("R2", "saas", date(2022, 12, 31), "country wide"),
        ("R2", "ebook", date(2022, 12, 31), "country ebook"),
        ("R3", "consulting", date(2024, 1, 1), "region exemption"),
        ("R3", "saas", date(2024, 1, 1), "country wide"),
    ],
)
def test_lookup_precedence(tmp_path, region, category, on, source):
    table = load_rates(write_csv(tmp_path, *PRECEDENCE_ROWS))
    row = table.lookup(country="XA", region=region, tax_category=category, on=on)
    assert row is not None
    assert row.source == source


@pytest.mark.parametrize(
    ("on", "rate"),
    [
        (date(2019, 12, 31), None),
        (date(2020, 1, 1), "10"),
        (date(2021, 6, 30), "10"),
        (date(2021, 7, 1), "12"),
        (date(2024, 12, 31), "12"),
        (date(2025, 1, 1), "11.5"),
        (date(2099, 1, 1), "11.5"),
    ],
)
def test_latest_effective_from_not_after_on_wins(tmp_path, on, rate):
    path = write_csv(
        tmp_path,
        # Out of order on purpose: the file's order must not matter.
        "XB,,*,11.5,Tax,2025-01-01,third",
        "XB,,*,10,Tax,2020-01-01,first",
        "XB,,*,12,Tax,2021-07-01,second",
    )
    row = load_rates(path).lookup(country="XB", region=None, tax_category="saas", on=on)
    assert (row.rate if row else None) == (Decimal(rate) if rate else None)


@pytest.mark.parametrize(
    "row",
    [
        "de,,*,19,VAT,2015-01-01,lowercase country",
        "DEU,,*,19,VAT,2015-01-01,alpha-3 country",
        "US,us-tx,saas,6.25,Sales tax,2015-01-01,lowercase region",
        "DE,,food,7,VAT,2015-01-01,unknown category",
        "DE,,*,19%,VAT,2015-01-01,percent sign",
        "DE,,*,1e1,VAT,2015-01-01,exponent",
        "DE,,*,-5,VAT,2015-01-01,negative",
        "DE,,*,100,VAT,2015-01-01,a hundred percent",
        "DE,,*,,VAT,2015-01-01,empty rate",
        "DE,,*,19,,2015-01-01,taxed without a name",
        "DE,,*,0,VAT,2015-01-01,exempt with a name",
        "DE,,*,19,VAT,,no date",
        "DE,,*,19,VAT,2015-13-01,no such month",
        "DE,,*,19,VAT,01/01/2015,not ISO",
        "DE,,*,19,VAT,2015-01-01,",
        "DE,,*,19,VAT,2015-01-01",
        "DE,,*,19,VAT,2015-01-01,source,extra field",
    ],
)
def test_malformed_row_fails_loudly_at_load(tmp_path, row):
    path = write_csv(tmp_path, "FR,,*,20,VAT,2015-01-01,fine", row)
    with pytest.raises(RateTableError, match="line 3"):
        load_rates(path)


def test_duplicate_row_for_the_same_day_fails(tmp_path):
    path = write_csv(
        tmp_path, "DE,,*,19,VAT,2015-01-01,one source", "DE,,*,16,VAT,2015-01-01,another"
    )
    with pytest.raises(RateTableError, match="share an effective_from"):
        load_rates(path)


def test_wrong_header_fails(tmp_path):
    path = write_csv(tmp_path, "DE,,*,19,VAT,2015-01-01,x", header="country,category,rate")
    with pytest.raises(RateTableError, match="header"):
        load_rates(path)


def test_empty_table_fails(tmp_path):
    with pytest.raises(RateTableError, match="no rows"):
        load_rates(write_csv(tmp_path))
