"""Embargoed destinations: prod refuses sales billed or shipped to comprehensively sanctioned
countries and regions (checkout/data/embargoed_destinations.json); test mode does not."""

import json

import pytest
from django.test import Client

from checkout import embargo
from checkout.embargo import EmbargoedDestination, check_destination, embargoed_name
from checkout.shipping import shipping_set_address
from orders.models import Order
from tests.browser_support import shown_after
from tests.cart_factories import ShippingMethodFactory, physical_product
from tests.checkout_factories import make_session
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CUBA = "We cannot sell to Cuba: as merchant of record we do not accept orders to destinations under comprehensive sanctions."
CRIMEA_ADDRESS = {
    "first_name": "Ivan",
    "last_name": "Petrenko",
    "address1": "1 Lenina",
    "city": "Simferopol",
    "country_code": "UA",
    "province_code": "",
    "postal_code": "95000",
}


@pytest.fixture
def prod_store(store):
    store.prod_enabled = True
    store.save(update_fields=["prod_enabled"])
    return store


@pytest.fixture
def prod_product(prod_store):
    return ProductFactory(store=prod_store, publish=True)


def test_the_data_file_names_its_sources_and_date():
    data = json.loads(embargo.DATA_FILE.read_text())
    assert data["sources"] and data["as_of"] and data["caveats"]
    assert {entry["code"] for entry in data["countries"]} == {"CU", "IR", "KP", "SY"}
    assert {entry["code"] for entry in data["regions"]} == {"UA-43", "UA-40", "UA-14", "UA-09"}


@pytest.mark.parametrize(
    ("country", "name"), [("CU", "Cuba"), ("IR", "Iran"), ("KP", "North Korea"), ("SY", "Syria")]
)
def test_embargoed_countries(country, name):
    assert embargoed_name(country=country) == name


@pytest.mark.parametrize(
    ("province", "postcode", "name"),
    [
        ("43", "", "Crimea"),
        ("UA-43", "", "Crimea"),
        ("", "95000", "Crimea"),
        ("", "99011", "Sevastopol"),
        ("14", "", "the Donetsk region of Ukraine"),
        ("", "83001", "the Donetsk region of Ukraine"),
        ("", "91000", "the Luhansk region of Ukraine"),
    ],
)
def test_embargoed_regions_by_province_or_postcode(province, postcode, name):
    assert embargoed_name(country="UA", province=province, postcode=postcode) == name


@pytest.mark.parametrize(
    ("country", "province", "postcode"),
    [
        ("UA", "", "01001"),
        ("UA", "30", "95000"),
        ("UA", "", ""),
        ("DE", "", "95000"),
        ("US", "", ""),
    ],
)
def test_other_destinations_are_open(country, province, postcode):
    # Kyiv; a province code (Kyiv city) wins over a postcode; no hint at all; a German 95…
    assert embargoed_name(country=country, province=province, postcode=postcode) is None


def test_the_rule_applies_in_prod_only():
    check_destination(environment="test", country="CU")
    with pytest.raises(EmbargoedDestination) as refused:
        check_destination(environment="prod", country="CU")
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        422,
        "destination_embargoed",
        CUBA,
    )


def test_create_session_in_prod_refuses_an_embargoed_billing_country(prod_api, prod_product):
    response = prod_api.post(
        "/v1/actions/checkout/create-session",
        {
            "productId": prod_product.public_id,
            "currency": "USD",
            "billingDetail": {"country": "CU", "isBusiness": False},
        },
    )
    assert response.status_code == 422
    assert response.json() == {"data": None, "errors": [{"message": CUBA, "layer": "order"}]}


def test_create_session_in_test_accepts_the_same_billing_country(api, product):
    response = api.post(
        "/v1/actions/checkout/create-session",
        {
            "productId": product.public_id,
            "currency": "USD",
            "billingDetail": {"country": "CU", "isBusiness": False},
        },
    )
    assert response.status_code == 200


def _create_order(session, country: str, environment: str):
    return Client().post(
        "/v1/actions/onetime-order/create-order",
        {
            "checkoutSessionId": session.public_id,
            "buyerEmail": "buyer@example.com",
            "billingDetail": {"country": country, "isBusiness": False},
        },
        content_type="application/json",
        headers={"X-Store-Slug": session.store.slug, "X-Environment": environment},
    )


def test_create_order_in_prod_refuses_an_embargoed_billing_country(prod_product):
    session = make_session(product=prod_product, environment="prod")
    response = _create_order(session, "IR", "prod")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith("We cannot sell to Iran:")
    assert not Order.objects.filter(checkout_session_id=session.pk).exists()


def test_create_order_in_test_accepts_the_same_country(product):
    session = make_session(product=product)
    assert _create_order(session, "IR", "test").status_code == 200


def test_shipping_to_crimea_is_refused_in_prod_and_nothing_is_saved(prod_store):
    ShippingMethodFactory(store=prod_store)
    session = make_session(product=physical_product(prod_store, publish=True), environment="prod")
    with pytest.raises(EmbargoedDestination, match="We cannot sell to Crimea"):
        shipping_set_address(session=session, address=CRIMEA_ADDRESS)
    session.refresh_from_db()
    assert session.shipping_address is None


def test_shipping_to_crimea_is_accepted_in_test(store):
    ShippingMethodFactory(store=store, countries=[])
    session = make_session(product=physical_product(store, publish=True))
    shipping_set_address(session=session, address=CRIMEA_ADDRESS)
    session.refresh_from_db()
    assert session.shipping_address["postal_code"] == "95000"


def test_the_hosted_page_says_why_it_cannot_sell(prod_product, settings):
    settings.PAYMENT_PROCESSORS = {
        **settings.PAYMENT_PROCESSORS,
        "prod": settings.PAYMENT_PROCESSORS["test"],
    }
    session = make_session(product=prod_product, environment="prod")
    path = f"/store/{session.store.slug}/checkout/{session.public_id}/pay"
    client = Client()
    response = client.post(
        path,
        {
            "email": "buyer@example.com",
            "country": "KP",
            "card_number": "4242424242424242",
            "card_expiry": "12/40",
            "card_cvc": "123",
        },
    )
    shown = shown_after(client, response, session)  # POST-redirect-GET
    assert "We cannot sell to North Korea:" in shown.content.decode()
    assert not Order.objects.filter(checkout_session_id=session.pk).exists()
