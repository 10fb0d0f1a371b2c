"""The shipping step's JSON twins for the page script (``…/shipping.json``,
``…/shipping-method.json``, issue 19 point 4): the same services as the form posts, answered
in the actions API's envelope; a refusal is a 4xx that names what to fix and changes nothing."""

import re

import pytest
from django.test import Client

from checkout.models import CheckoutSession, ShippingMethod
from orders.models import Order
from tests.browser_support import checkout_path, expire, make_product, make_session
from tests.cart_browser_support import WA_ADDRESS, address_form, make_cart_shop
from tests.shipping_support import pay, ready

pytestmark = pytest.mark.django_db


def post_address_json(client, session, address=None, *, headers=None, **overrides):
    return client.post(
        checkout_path(session) + "/shipping.json",
        address_form(address, **overrides),
        **JSON,
        **(headers or {}),
    )


def post_method_json(client, session, method_id):
    data = {} if method_id is None else {"shipping_method_id": str(method_id)}
    return client.post(checkout_path(session) + "/shipping-method.json", data, **JSON)


JSON = {"HTTP_ACCEPT": "application/json"}


def refused(response, status: int) -> list[dict]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    assert all(error["layer"] == "order" for error in body["errors"])
    return body["errors"]


def unchanged(session: CheckoutSession) -> None:
    before = (session.shipping_address, session.shipping_method)
    session.refresh_from_db()
    assert (session.shipping_address, session.shipping_method) == before


@pytest.fixture
def express(shop):
    return ShippingMethod.objects.create(
        store=shop.store, name="Express", prices={"USD": 1500}, countries=["US"], position=0
    )


def test_an_address_lists_the_methods_with_the_cheapest_chosen(client, shop, session, express):
    response = post_address_json(client, session)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    data = response.json()["data"]
    # Express is listed first, Standard ($5.00) is cheaper: it is chosen on the session.
    session.refresh_from_db()
    assert session.shipping_address["city"] == "Seattle"
    assert session.shipping_method["id"] == shop.standard.pk == data["chosenMethodId"]
    assert re.findall(r'id="ship-method-(\d+)" value="\d+" checked', data["methodsHtml"]) == [
        str(shop.standard.pk)
    ]
    assert "Express" in data["methodsHtml"] and "$15.00" in data["methodsHtml"]
    assert 'name="csrfmiddlewaretoken"' in data["methodsHtml"]  # the no-JS form still posts
    assert data["complete"] is True
    assert data["email"] == WA_ADDRESS["email"]
    assert data["billing"] == {
        "country": "US",
        "state_us": "WA",
        "state_ca": "",
        "postcode": "98101",
    }
    # Goods 73.00 + shipping 5.00; WA sales tax 6.5 % of 78.00 = 5.07.
    assert data["summary"] == {
        "items": "$73.00",
        "shippingName": "Standard",
        "shipping": "$5.00",
        "due": "$78.00",
        "taxLabel": "Sales tax 6.5%",
        "tax": "$5.07",
        "total": "$83.07",
        "quoted": True,
    }


def test_switching_the_method_updates_the_totals(client, shop, session, express):
    post_address_json(client, session)

    data = post_method_json(client, session, express.pk).json()["data"]

    session.refresh_from_db()
    assert session.shipping_method["name"] == "Express"
    assert data["chosenMethodId"] == express.pk
    # 73.00 + 15.00 = 88.00; 6.5 % = 5.72.
    summary = data["summary"]
    assert (summary["shipping"], summary["tax"], summary["total"]) == ("$15.00", "$5.72", "$93.72")
    assert 'id="shipping-chosen"' in data["methodsHtml"] and "Express" in data["methodsHtml"]


def test_figures_and_texts_follow_the_buyers_language(client, shop, session):
    response = post_address_json(client, session, headers={"HTTP_ACCEPT_LANGUAGE": "de-DE"})

    summary = response.json()["data"]["summary"]
    assert summary["items"] == "73,00\xa0$"
    assert summary["total"] == "83,07\xa0$"
    assert summary["taxLabel"] == "Sales Tax 6,5\xa0%"  # the de catalog keeps the US name
    assert "Versand" in response.json()["data"]["methodsHtml"]


def test_an_incomplete_address_names_each_field_and_saves_nothing(client, session):
    response = post_address_json(client, session, city="", first_name="")

    errors = refused(response, 400)
    assert errors[0] == {"message": "Please check your shipping address.", "layer": "order"}
    fields = {error["field"]: error["message"] for error in errors[1:]}
    assert fields == {"ship_first_name": "Enter your first name.", "ship_city": "Enter your city."}
    unchanged(session)
    assert session.shipping_address is None


def test_a_bad_postcode_keeps_the_saved_address(client, session):
    post_address_json(client, session)
    session.refresh_from_db()

    errors = refused(post_address_json(client, session, postal_code="ABCDE"), 400)

    assert errors[1]["field"] == "ship_postal_code"
    assert "not a valid postal code for US" in errors[1]["message"]
    unchanged(session)


def test_refusals_in_the_buyers_language(client, session):
    errors = refused(
        post_address_json(client, session, city="", headers={"HTTP_ACCEPT_LANGUAGE": "fr"}), 400
    )

    assert errors[0]["message"] != "Please check your shipping address."
    assert "ville" in errors[1]["message"].lower()


@pytest.mark.parametrize(
    ("method_id", "status", "message"),
    [
        (None, 400, "Choose a shipping method."),
        (999999, 422, "This shipping method is not available for the address"),
    ],
)
def test_method_refusals_keep_the_chosen_one(client, shop, session, method_id, status, message):
    post_address_json(client, session)
    session.refresh_from_db()

    errors = refused(post_method_json(client, session, method_id), status)

    assert errors[0]["message"] == message
    unchanged(session)
    assert session.shipping_method["id"] == shop.standard.pk


def test_a_method_of_another_store_is_refused(client, shop, session):
    other = make_cart_shop(slug="other-shop")
    post_address_json(client, session)
    session.refresh_from_db()

    refused(post_method_json(client, session, other.standard.pk), 422)

    unchanged(session)


def test_a_method_before_any_address_is_refused(client, session):
    refused(post_method_json(client, session, 1), 422)
    unchanged(session)


def test_a_session_under_another_stores_slug_is_not_found(client, shop, session):
    other = make_cart_shop(slug="other-shop")
    url = f"/store/{other.store.slug}/checkout/{session.public_id}/shipping.json"

    errors = refused(client.post(url, address_form(), **JSON), 404)

    assert "not valid" in errors[0]["message"]
    unchanged(session)


def test_an_unknown_session_is_not_found(client, shop):
    url = f"/store/{shop.store.slug}/checkout/cs_00000000-0000-0000-0000-000000000000/shipping.json"
    refused(client.post(url, address_form(), **JSON), 404)


def test_an_expired_session_is_refused(client, session):
    expire(session)

    assert refused(post_address_json(client, session), 410)[0]["message"] == (
        "This checkout has expired"
    )
    assert refused(post_method_json(client, session, 1), 410)
    unchanged(session)


def test_a_paid_session_is_refused(client, shop, session):
    ready(client, session, shop)
    pay(client, session)
    assert Order.objects.count() == 1
    session.refresh_from_db()

    errors = refused(post_address_json(client, session, city="Tacoma"), 409)

    assert errors[0]["message"] == "This order has already been paid"
    unchanged(session)


def test_a_checkout_with_nothing_to_ship_is_refused(client, shop):
    digital = make_product(shop.store, name="E-book")
    session = make_session(merchant=shop.merchant, product=digital)

    refused(post_address_json(client, session), 422)
    unchanged(session)


def test_posts_without_the_csrf_token_are_refused_in_the_envelope(session):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(checkout_path(session) + "/shipping.json", address_form(), **JSON)

    assert response.status_code == 403
    assert response.json() == {
        "data": None,
        "errors": [{"message": "Forbidden", "layer": "gateway"}],
    }
    unchanged(session)
    assert session.shipping_address is None


def test_posts_with_the_pages_csrf_token_go_through(session):
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(checkout_path(session)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = strict.post(
        checkout_path(session) + "/shipping.json", address_form(), HTTP_X_CSRFTOKEN=token, **JSON
    )

    assert response.status_code == 200
    session.refresh_from_db()
    assert session.shipping_address["city"] == "Seattle"


def test_only_post_is_answered(client, session):
    assert client.get(checkout_path(session) + "/shipping.json").status_code == 405
