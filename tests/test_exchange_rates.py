"""ECB reference rates: the importer (idempotent per date, a bad file refused whole, https
only and never a private address), the ``rate`` query's exact cross rates, its errors, and
the read-only admin."""

import socket
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from catalog.demo import seed_demo
from fx.models import ReferenceRate
from fx.selectors import next_publication
from tests.graphql_support import gql

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "eurofxref-daily.xml"
production = override_settings(WEBHOOK_ALLOW_PRIVATE_URLS=False)
RATE = """query ($from: CurrencyCode!, $to: CurrencyCode!) {
  rate(fromCurrency: $from, toCurrency: $to) {
    fromCurrency toCurrency standardRate rateRefId expiryTime
  }
}"""
ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope '
    'xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
    'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube>{}</Cube></gesmes:Envelope>'
)


def _import(source) -> str:
    out = StringIO()
    call_command("import_exchange_rates", str(source), stdout=out)
    return out.getvalue()


def _file(tmp_path, cubes: str) -> Path:
    path = tmp_path / "rates.xml"
    path.write_text(ENVELOPE.format(cubes))
    return path


def _rates() -> dict:
    return {
        (row.rate_date.isoformat(), row.currency): row.per_euro
        for row in ReferenceRate.objects.all()
    }


def test_the_importer_reads_the_ecb_file_and_is_idempotent():
    assert _import(FIXTURE) == "2026-11-27: 5 rates per 1 EUR\n"
    first = _rates()
    assert _import(FIXTURE) == "2026-11-27: 5 rates per 1 EUR\n"

    assert _rates() == first
    assert first == {
        ("2026-11-27", "CHF"): Decimal("0.94"),
        ("2026-11-27", "CNY"): Decimal("7.6"),
        ("2026-11-27", "GBP"): Decimal("0.83"),
        ("2026-11-27", "JPY"): Decimal("162.35"),
        ("2026-11-27", "USD"): Decimal("1.05"),
    }


def test_a_republished_day_replaces_that_day_only(tmp_path):
    _import(FIXTURE)
    _import(_file(tmp_path, "<Cube time='2026-11-30'><Cube currency='USD' rate='1.1'/></Cube>"))
    _import(_file(tmp_path, "<Cube time='2026-11-30'><Cube currency='USD' rate='1.2'/></Cube>"))

    rates = _rates()
    assert rates[("2026-11-30", "USD")] == Decimal("1.2")
    assert rates[("2026-11-27", "USD")] == Decimal("1.05")
    assert len(rates) == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not xml at all", "Nothing imported: Not well-formed XML: syntax error: line 1, column 0"),
        (
            "<rates/>",
            "Nothing imported: Not an ECB reference-rate file: no <Cube time=...> rate set",
        ),
        (
            ENVELOPE.format(
                "<Cube time='2026-11-26'><Cube currency='USD' rate='1.05'/></Cube>"
                "<Cube time='2026-11-27'><Cube currency='USD' rate='abc'/></Cube>"
            ),
            'Nothing imported: The rate of USD is not a number: "abc"',
        ),
        (
            ENVELOPE.format("<Cube time='2026-11-27'><Cube currency='usd' rate='1.05'/></Cube>"),
            'Nothing imported: Not a currency code: "usd"',
        ),
        (
            ENVELOPE.format("<Cube time='27.11.2026'><Cube currency='USD' rate='1.05'/></Cube>"),
            'Nothing imported: Cube time must be a date (YYYY-MM-DD), got "27.11.2026"',
        ),
        (
            ENVELOPE.format("<Cube time='2026-11-27'><Cube currency='USD' rate='-1'/></Cube>"),
            'Nothing imported: The rate of USD is out of range: "-1"',
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            "Nothing imported: A document type declaration is not allowed",
        ),
    ],
)
def test_a_malformed_file_is_refused_and_nothing_is_written(tmp_path, content, message):
    _import(FIXTURE)
    before = _rates()
    path = tmp_path / "bad.xml"
    path.write_text(content)

    with pytest.raises(CommandError) as refused:
        _import(path)

    assert str(refused.value) == message
    assert _rates() == before


def test_a_withdrawn_currency_is_skipped(tmp_path):
    cubes = "<Cube currency='BGN' rate='1.9558'/><Cube currency='USD' rate='1.05'/>"
    assert _import(_file(tmp_path, f"<Cube time='2026-11-27'>{cubes}</Cube>")) == (
        "2026-11-27: 1 rates per 1 EUR\n"
    )
    assert _rates() == {("2026-11-27", "USD"): Decimal("1.05")}


def test_a_missing_file_and_plain_http_are_refused(tmp_path):
    with pytest.raises(CommandError, match=r"^Nothing imported: Cannot read .*missing\.xml: No "):
        _import(tmp_path / "missing.xml")
    with pytest.raises(CommandError) as refused:
        _import("http://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml")
    assert str(refused.value) == "Nothing imported: Exchange rates are fetched over https only"
    assert not ReferenceRate.objects.exists()


@production
def test_a_private_address_is_never_fetched():
    with pytest.raises(CommandError) as refused:
        _import("https://10.0.0.7/eurofxref-daily.xml")

    assert str(refused.value) == (
        "Nothing imported: Cannot fetch https://10.0.0.7/eurofxref-daily.xml: "
        "10.0.0.7 resolves to a refused address (10.0.0.7)"
    )


@production
def test_a_public_name_resolving_to_a_private_address_is_never_contacted(monkeypatch):
    connected = []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))
        ],
    )
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))

    with pytest.raises(CommandError, match=r"resolves to a refused address \(169\.254\.169\.254\)"):
        _import("https://rates.example/eurofxref-daily.xml")

    assert connected == []
    assert not ReferenceRate.objects.exists()


@pytest.mark.parametrize(
    ("source", "target", "rate"),
    [
        ("USD", "EUR", "0.9523809524"),
        ("EUR", "USD", "1.0500000000"),
        ("USD", "JPY", "154.6190476190"),
        ("GBP", "USD", "1.2650602410"),
        ("JPY", "CNY", "0.0468124423"),
        ("CHF", "GBP", "0.8829787234"),
        ("USD", "USD", "1.0000000000"),
        ("EUR", "EUR", "1.0000000000"),
    ],
)
def test_cross_rates_are_exact(api, source, target, rate, django_assert_max_num_queries):
    _import(FIXTURE)

    with django_assert_max_num_queries(4):  # the credential (2), the set, its two rates
        status, body = gql(api, RATE, **{"from": source, "to": target})

    assert status == 200, body
    assert body["data"]["rate"] == {
        "fromCurrency": source,
        "toCurrency": target,
        "standardRate": rate,
        "rateRefId": "ECB-2026-11-27",
        "expiryTime": "2026-11-30T15:00:00.000Z",  # Friday's set: Monday 16:00 CET
    }


def test_the_latest_set_quoting_both_currencies_is_used(api, tmp_path):
    _import(FIXTURE)
    _import(_file(tmp_path, "<Cube time='2026-11-30'><Cube currency='USD' rate='1.2'/></Cube>"))

    _, latest = gql(api, RATE, **{"from": "EUR", "to": "USD"})
    _, older = gql(api, RATE, **{"from": "USD", "to": "JPY"})

    assert latest["data"]["rate"]["standardRate"] == "1.2000000000"
    assert latest["data"]["rate"]["rateRefId"] == "ECB-2026-11-30"
    assert latest["data"]["rate"]["expiryTime"] == "2026-12-01T15:00:00.000Z"
    assert older["data"]["rate"]["rateRefId"] == "ECB-2026-11-27"


def test_no_rate_known_is_the_fields_error(api):
    status, body = gql(api, RATE, **{"from": "USD", "to": "EUR"})
    assert status == 200
    assert body["data"] == {"rate": None}
    assert body["errors"][0]["message"] == "No exchange rate known from USD to EUR"

    _import(FIXTURE)
    status, body = gql(api, RATE, **{"from": "USD", "to": "SEK"})
    assert status == 200
    assert body["data"] == {"rate": None}
    assert body["errors"][0]["message"] == "No exchange rate known from USD to SEK"
    assert body["errors"][0]["path"] == ["rate"]


def test_currency_codes_are_an_enum(api):
    status, body = gql(api, "{ rate(fromCurrency: XYZ, toCurrency: EUR) { standardRate } }")
    assert status == 400
    assert "XYZ" in body["errors"][0]["message"]

    status, body = gql(api, '{ __type(name: "CurrencyCode") { kind enumValues { name } } }')
    assert status == 200, body
    names = {value["name"] for value in body["data"]["__type"]["enumValues"]}
    assert body["data"]["__type"]["kind"] == "ENUM"
    assert {"USD", "EUR", "GBP", "JPY", "CNY", "CHF", "SEK", "BRL"} <= names
    assert len(names) > 40


def test_the_next_publication_follows_frankfurt_time():
    assert next_publication(date(2026, 7, 3)).isoformat() == "2026-07-06T14:00:00+00:00"  # CEST
    assert next_publication(date(2026, 12, 1)).isoformat() == "2026-12-02T15:00:00+00:00"  # CET


def test_staff_see_rates_read_only(admin_client):
    _import(FIXTURE)
    rate = ReferenceRate.objects.get(currency="USD")

    listing = admin_client.get("/admin/fx/referencerate/")
    assert listing.status_code == 200
    assert "162.35" in listing.content.decode()
    assert admin_client.get("/admin/fx/referencerate/add/").status_code == 403
    page = admin_client.get(f"/admin/fx/referencerate/{rate.pk}/change/")
    assert page.status_code == 200
    assert 'name="per_euro"' not in page.content.decode()


def test_the_demo_imports_its_sample_rates_once(tmp_path, api):
    seed_demo(key_dir=tmp_path)
    seed_demo(key_dir=tmp_path)

    rows = ReferenceRate.objects.filter(rate_date=date(2026, 11, 27))
    assert rows.count() == 22  # of the file's 23: BGN is withdrawn
    status, body = gql(api, RATE, **{"from": "USD", "to": "EUR"})
    assert status == 200, body
    assert body["data"]["rate"]["standardRate"] == "0.9523809524"
