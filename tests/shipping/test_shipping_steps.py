"""The hosted checkout's shipping step (Django test client): shown only when a line ships,
address errors, and methods priced in the page's locale with their totals."""

import re

import pytest

from checkout.models import ShippingMethod
from tests.browser_support import (
    checkout_path,
    make_product,
    make_session,
    make_store,
)
from tests.cart_browser_support import WA_ADDRESS, address_form, begin, make_cart_shop
from tests.shipping_support import (
    html_of,
    pay_button,
    post_address,
    post_method,
    ready,
)

pytestmark = pytest.mark.django_db


# --- when the step is shown ----------------------------------------------------------------


def test_single_digital_product_has_no_shipping_step(client):
    merchant, store = make_store(slug="digital-only")
    product = make_product(store, name="Ebook")
    session = make_session(merchant=merchant, product=product)

    html = html_of(client.get(checkout_path(session)))

    assert not session.requires_shipping
    assert 'id="shipping-form"' not in html and 'id="shipping"' not in html
    assert "summary-shipping-row" not in html
    assert "disabled" not in pay_button(html)
    assert ">Your details<" in html


def test_cart_of_digital_lines_only_has_no_shipping_step(client, shop):
    shop.cart.items.filter(product=shop.shippable).delete()
    session = begin(shop)

    html = html_of(client.get(checkout_path(session)))

    assert not session.requires_shipping
    assert 'id="shipping-form"' not in html
    assert "disabled" not in pay_button(html)


def test_cart_with_a_shippable_line_asks_for_the_address_first(client, session):
    response = client.get(checkout_path(session))

    assert response.status_code == 200
    html = html_of(response)
    assert session.requires_shipping
    assert 'id="shipping-form"' in html
    assert f'action="/store/acme-tools/checkout/{session.public_id}/shipping#shipping"' in html
    # The ten buyer_info fields, each with a label (province: one input per country kind).
    for name in (
        "first_name",
        "last_name",
        "address1",
        "address2",
        "city",
        "country_code",
        "postal_code",
        "phone",
        "email",
        "province_us",
        "province_ca",
        "province_au",
        "province",
    ):
        assert f'id="ship_{name}"' in html, name
        assert f'<label for="ship_{name}"' in html, name
    assert 'name="shipping_method_id"' not in html
    assert "disabled" in pay_button(html)
    assert 'aria-describedby="pay-blocked-note"' in pay_button(html)
    assert "add your shipping address and choose a shipping method" in html
    assert "Choose a method" in html  # the summary's shipping row
    assert "Ships to: United States." in html


def test_lines_show_quantities_and_amounts(client, session):
    html = html_of(client.get(checkout_path(session)))

    lines = re.search(r'<ul class="lines" id="summary-lines".*?</ul>', html, re.S).group(0)
    assert "2 \u00d7 Widget Pro" in lines and "$29.00 each" in lines and "$58.00" in lines
    assert "1 \u00d7 Setup Guide" in lines and "$15.00" in lines
    assert "Widget Pro and 1 more" in html  # the title
    assert "$73.00" in html  # goods, before shipping and tax


def test_no_inline_styles_or_handlers(client, shop, session):
    pages = [client.get(checkout_path(session)), post_address(client, session)]
    pages.append(post_method(client, session, shop.standard.pk))
    for response in pages:
        html = html_of(response)
        assert " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)
        assert re.search(r'<script src="[^"]+checkout\.js" nonce="[^"]+"', html)


# --- address -------------------------------------------------------------------------------


def test_missing_fields_are_all_named_at_once(client, session):
    response = post_address(client, session, first_name="", city="", postal_code="")

    assert response.status_code == 200  # shown after the 303
    html = html_of(response)
    summary = re.search(
        r'<div class="error-summary" role="alert" id="shipping-error-summary".*?</div>', html, re.S
    ).group(0)
    assert "Enter your first name." in summary and 'href="#ship_first_name"' in summary
    assert "Enter your city." in summary
    assert "Enter your ZIP or postal code." in summary
    assert re.search(r'id="ship_first_name"[^>]*\s+aria-invalid="true"', html, re.S)
    assert 'data-focus="shipping-error-summary"' in html
    # What the buyer typed is kept.
    assert 'value="1 Main St"' in html and 'value="Lovelace"' in html
    session.refresh_from_db()
    assert session.shipping_address is None


def test_service_errors_are_shown_next_to_the_field(client, session):
    response = post_address(client, session, postal_code="ABCDE")

    assert response.status_code == 200  # shown after the 303
    html = html_of(response)
    message = "ZIP / postal code is not a valid postal code for US."
    assert f'<p class="field-error" id="ship_postal_code-error">{message}</p>' in html
    assert 'role="alert"' in html
    assert "buyer_info" not in html


def test_unknown_state_is_refused_by_the_service(client, session):
    response = post_address(client, session, province_code="ZZ")

    assert response.status_code == 200  # shown after the 303
    html = html_of(response)
    assert "State / province must be a valid state or province of US." in html
    assert re.search(r'id="ship_province_us"[^>]*aria-invalid="true"', html, re.S)


def test_invalid_email_and_phone(client, session):
    response = post_address(client, session, email="not-an-email")
    assert response.status_code == 200  # shown after the 303
    assert "Email must be an email address." in html_of(response)

    response = post_address(client, session, phone="call me")
    assert response.status_code == 200  # shown after the 303
    assert "Phone must be a phone number with country code." in html_of(response)


def test_address_lists_the_methods_that_serve_it(client, shop, session):
    ShippingMethod.objects.create(
        store=shop.store, name="Express", prices={"USD": 1500}, countries=[], position=2
    )
    ShippingMethod.objects.create(
        store=shop.store, name="Canada Post", prices={"USD": 900}, countries=["CA"]
    )
    ShippingMethod.objects.create(store=shop.store, name="Euro only", prices={"EUR": 300})
    ShippingMethod.objects.create(
        store=shop.store, name="Retired", prices={"USD": 100}, active=False
    )

    response = post_address(client, session, postal_code="98101-1234", email="ADA@example.com ")

    assert response.status_code == 200
    html = html_of(response)
    radios = re.findall(
        r'<input type="radio" name="shipping_method_id" id="ship-method-(\d+)"', html
    )
    names = dict(ShippingMethod.objects.values_list("pk", "name"))
    assert [names[int(pk)] for pk in radios] == ["Standard", "Express"]
    standard = re.search(
        rf'<label for="ship-method-{shop.standard.pk}">.*?</label>', html, re.S
    ).group(0)
    assert "Standard" in standard and "$5.00" in standard and "3 to 5 business days" in standard
    assert "$15.00" in html
    assert 'data-focus="shipping-methods-heading"' in html
    assert "Choose how to ship to United States" in html
    # The address is saved, normalized by the service, and shown.
    session.refresh_from_db()
    assert session.shipping_address["postal_code"] == "98101-1234"
    assert session.shipping_address["email"] == "ada@example.com"
    # The cheapest method that serves it is chosen by the server (the buyer may change it).
    assert session.shipping_method["name"] == "Standard"
    assert "Seattle, WA 98101-1234" in html
    assert "disabled" not in pay_button(html)
    # The pay form proposes the shipping address for billing.
    assert re.search(r'<option value="US" selected>', html)
    assert re.search(r'<option value="WA" selected>Washington</option>', html)


def test_methods_are_formatted_in_the_page_locale(client, session):
    posted = client.post(
        checkout_path(session) + "/shipping",
        address_form(),
        HTTP_ACCEPT_LANGUAGE="de-DE",
    )
    response = client.get(posted["Location"].split("#")[0], HTTP_ACCEPT_LANGUAGE="de-DE")

    html = html_of(response)
    assert '<html lang="de-DE"' in html
    assert "5,00\xa0$" in html


def test_no_method_for_the_address_is_said_clearly(client, session):
    germany = {**WA_ADDRESS, "country_code": "DE", "province_code": "", "postal_code": "10115"}

    response = post_address(client, session, germany)

    assert response.status_code == 200
    html = html_of(response)
    alert = re.search(
        r'<div class="error-summary" role="alert" id="shipping-no-method".*?</div>', html, re.S
    ).group(0)
    assert "Acme Tools does not ship to Germany in USD." in alert
    assert "in one of these countries: United States" in alert
    assert 'name="shipping_method_id"' not in html
    assert "disabled" in pay_button(html)
    assert 'data-focus="shipping-no-method"' in html


def test_a_new_address_drops_a_method_that_no_longer_serves_it(client, shop, session):
    ShippingMethod.objects.create(
        store=shop.store, name="Worldwide", prices={"USD": 2500}, countries=[]
    )
    ready(client, session, shop)
    assert session.shipping_method["name"] == "Standard"

    canada = {**WA_ADDRESS, "country_code": "CA", "province_code": "ON", "postal_code": "K1A 0B1"}
    html = html_of(post_address(client, session, canada))

    session.refresh_from_db()
    assert session.shipping_method["name"] == "Worldwide"  # the cheapest that still serves it
    assert (
        "Worldwide" in html
        and "Standard"
        not in re.sub(r"<title>.*?</title>", "", html).split('id="shipping-methods-heading"')[1]
    )
    assert "disabled" not in pay_button(html)


# --- method --------------------------------------------------------------------------------


def test_choosing_a_method_updates_the_totals(client, shop, session):
    post_address(client, session)

    response = post_method(client, session, shop.standard.pk)

    assert response.status_code == 200
    html = html_of(response)
    session.refresh_from_db()
    assert session.shipping_method == {
        "id": shop.standard.pk,
        "name": "Standard",
        "amount_minor": 500,
        "delivery_estimate": "3 to 5 business days",
    }
    # Goods 73.00 + shipping 5.00, taxed where they are shipped: WA 6.5 % of 78.00 = 5.07.
    shipping_row = re.search(
        r'<div class="row" id="summary-shipping-row">.*?</div>', html, re.S
    ).group(0)
    assert "(Standard)" in shipping_row and "$5.00" in shipping_row
    assert '<dd id="summary-items">$73.00</dd>' in html
    assert '<div class="row" hidden><dt>Subtotal</dt><dd id="summary-subtotal">$78.00</dd>' in html
    assert '<dt id="summary-tax-label">Sales tax 6.5%</dt><dd id="summary-tax">$5.07</dd>' in html
    assert '<dd id="summary-total">$83.07</dd>' in html
    assert '<span id="pay-amount">$83.07</span>' in html
    assert "disabled" not in pay_button(html)
    assert re.search(
        f'id="ship-method-{shop.standard.pk}" value="{shop.standard.pk}" checked', html
    )
    assert 'data-focus="form-heading"' in html
    assert "Change shipping address" in html


def test_shipping_is_free_above_the_threshold(client):
    shop = make_cart_shop(shippable_quantity=4)  # 4 x 29.00 + 15.00 = 131.00 >= 100.00
    session = begin(shop)
    post_address(client, session)

    html = html_of(post_method(client, session, shop.standard.pk))

    session.refresh_from_db()
    assert session.shipping_method["amount_minor"] == 0
    assert "Free" in re.search(r'id="summary-shipping">(.*?)</dd>', html).group(1)


@pytest.mark.parametrize(
    ("method_id", "status", "message"),
    [
        (None, 400, "Choose a shipping method."),
        ("abc", 400, "Choose a shipping method."),
        (999999, 422, "This shipping method is not available for the address"),
    ],
)
def test_method_errors(client, session, method_id, status, message):
    post_address(client, session)

    response = post_method(client, session, method_id)

    assert response.status_code == 200  # shown after the 303
    html = html_of(response)
    assert (
        f'<p class="field-error" id="shipping-method-error" role="alert" tabindex="-1">{message}</p>'
        in html
    )
    session.refresh_from_db()  # the preselected method stays chosen
    assert session.shipping_method["name"] == "Standard"


def test_method_before_address_is_refused(client, shop, session):
    response = post_method(client, session, shop.standard.pk)

    assert response.status_code == 200  # shown after the 303
    html = html_of(response)
    assert "Set a shipping address first" in html
    assert 'data-focus="shipping-error-summary"' in html


def test_method_of_another_store_is_refused(client, session):
    other = make_cart_shop(slug="other-shop")

    post_address(client, session)
    response = post_method(client, session, other.standard.pk)

    assert response.status_code == 200  # shown after the 303
    session.refresh_from_db()
    assert session.shipping_method["id"] != other.standard.pk
