import pytest

from checkout.billing import BillingDetail, parse_billing_detail
from core.errors import BadRequest


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"country": "JP", "isBusiness": False}, BillingDetail("JP", False)),
        (
            {"country": "US", "isBusiness": False, "state": "ny", "postcode": " 10001 "},
            BillingDetail("US", False, postcode="10001", state="NY"),
        ),
        (
            {"country": "CA", "isBusiness": False, "state": "QC"},
            BillingDetail("CA", False, state="QC"),
        ),
        (
            {"country": "FR", "isBusiness": True, "businessName": "SARL", "taxId": "FR40303265045"},
            BillingDetail("FR", True, business_name="SARL", tax_id="FR40303265045"),
        ),
        (
            {"country": "GB", "isBusiness": True, "businessName": "Ltd"},
            BillingDetail("GB", True, business_name="Ltd"),
        ),
        (
            {"country": "DE", "isBusiness": False, "businessName": "ignored", "taxId": "x"},
            BillingDetail("DE", False),
        ),
    ],
)
def test_valid_billing_details(raw, expected):
    assert parse_billing_detail(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        {"isBusiness": False},
        {"country": "XX", "isBusiness": False},
        {"country": "de", "isBusiness": False},
        {"country": "US", "isBusiness": False, "state": "ZZ"},
        {"country": "CA", "isBusiness": False},
        {"country": "DE", "isBusiness": 0},
        {"country": "DE", "isBusiness": True, "businessName": " ", "taxId": "DE136695976"},
        {"country": "IT", "isBusiness": True, "businessName": "Srl", "taxId": "IT123"},
        {"country": "JP", "isBusiness": False, "postcode": "<script>"},
        {"country": "JP", "isBusiness": False, "unknown": 1},
    ],
)
def test_invalid_billing_details_are_one_contract_message(raw):
    with pytest.raises(BadRequest, match=r"^Invalid billingDetail$"):
        parse_billing_detail(raw)


def test_round_trip_through_json():
    detail = BillingDetail("US", False, postcode="94105", state="CA")
    assert BillingDetail.from_stored(detail.as_json()) == detail
