"""Adding and changing template carts in admin: items validated (quantities, products of the
cart's store with a price in its currency, a subscription alone), the store fixed once set."""

import pytest
from ulid import ULID

from checkout.models import TemplateCart
from tests.admin.cart_admin_support import (
    cart_data,
    formset_errors,
    make_cart,
    non_form_errors,
)
from tests.admin_factories import (
    AdminMerchantFactory,
    add_url,
    change_url,
    form_errors,
)
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db


# --- add and change ------------------------------------------------------------------------


def test_add_cart_with_items(merchant_client, store, product):
    guide = ProductFactory(store=store, name="Guide")

    response = merchant_client.post(
        add_url(TemplateCart),
        cart_data(
            store,
            [(product, 2), (guide, 1)],
            currency="usd",
            success_url="https://shop.example/thanks",
        ),
    )

    assert response.status_code == 302, (form_errors(response), formset_errors(response))
    cart = TemplateCart.objects.get()
    assert (cart.store, cart.environment, cart.name, cart.currency) == (
        store,
        "test",
        "Starter kit",
        "USD",
    )
    assert cart.success_url == "https://shop.example/thanks"
    assert [(i.product, i.quantity) for i in cart.items.all()] == [(product, 2), (guide, 1)]
    ULID.from_str(cart.public_id)  # a ULID


def test_change_cart_items_and_fields(merchant_client, store, product):
    guide = ProductFactory(store=store, name="Guide")
    cart = make_cart(store, (product, 1))
    item = cart.items.get()

    data = cart_data(None, [(product, 5, item), (guide, 3)], initial=1, name="Renamed")
    response = merchant_client.post(change_url(cart), data)

    assert response.status_code == 302, (form_errors(response), formset_errors(response))
    cart.refresh_from_db()
    assert cart.name == "Renamed" and cart.store == store
    assert sorted((i.product.pk, i.quantity) for i in cart.items.all()) == sorted(
        [(product.pk, 5), (guide.pk, 3)]
    )


def test_removing_an_item(merchant_client, store, product):
    guide = ProductFactory(store=store, name="Guide")
    cart = make_cart(store, (product, 1), (guide, 1))
    first, second = cart.items.order_by("position")

    data = cart_data(None, [(product, 1, first), (guide, 1, second)], initial=2)
    data["items-1-DELETE"] = "on"
    response = merchant_client.post(change_url(cart), data)

    assert response.status_code == 302, formset_errors(response)
    assert [i.product for i in cart.items.all()] == [product]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        # The template-cart/* actions' own rules and messages (one rule, two doors).
        ({"currency": "XYZ"}, "currency", "Currency XYZ is not supported"),
        ({"currency": ""}, "currency", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"success_url": "javascript:alert(1)"}, "success_url", "Enter a valid URL."),
        ({"success_url": "ftp://shop.example/"}, "success_url", "Invalid successUrl"),
        ({"environment": "live"}, "environment", "Select a valid choice."),
    ],
)
def test_cart_field_validation(merchant_client, store, product, overrides, field, message):
    """The admin form applies the rules the template-cart/* actions apply."""
    response = merchant_client.post(
        add_url(TemplateCart), cart_data(store, [(product, 1)], **overrides)
    )

    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)[field]), form_errors(response)
    assert not TemplateCart.objects.exists()


@pytest.mark.parametrize("quantity", [0, 100, -1])
def test_quantity_is_1_to_99(merchant_client, store, product, quantity):
    response = merchant_client.post(add_url(TemplateCart), cart_data(store, [(product, quantity)]))

    assert response.status_code == 200
    assert "quantity" in formset_errors(response)[0]
    assert not TemplateCart.objects.exists()


def test_product_of_another_store_of_the_merchant_is_refused(
    merchant_client, merchant, store, product
):
    second = StoreFactory(owner=merchant, name="Second")
    elsewhere = ProductFactory(store=second, name="Elsewhere")

    response = merchant_client.post(
        add_url(TemplateCart), cart_data(store, [(product, 1), (elsewhere, 1)])
    )

    assert response.status_code == 200
    errors = formset_errors(response)
    assert errors[0] == {}
    assert errors[1]["product"] == ["This product belongs to another store than the cart's store."]
    assert not TemplateCart.objects.exists()


def test_product_of_another_merchant_is_not_a_choice(merchant_client, store, product):
    theirs = ProductFactory(store=StoreFactory(owner=AdminMerchantFactory()))

    response = merchant_client.post(add_url(TemplateCart), cart_data(store, [(theirs, 1)]))

    assert response.status_code == 200
    assert "Select a valid choice" in formset_errors(response)[0]["product"][0]
    assert not TemplateCart.objects.exists()


def test_product_without_a_price_in_the_currency_is_refused(merchant_client, store):
    usd_only = ProductFactory(
        store=store, prices={"USD": {"amount": "5.00", "taxCategory": "ebook"}}
    )

    response = merchant_client.post(
        add_url(TemplateCart), cart_data(store, [(usd_only, 1)], currency="EUR")
    )

    assert response.status_code == 200
    assert formset_errors(response)[0]["product"] == ["This product has no EUR price in test."]


def test_a_subscription_stands_alone(merchant_client, store, product):
    plan = ProductFactory(store=store, product_type="subscription", name="Plan")

    response = merchant_client.post(
        add_url(TemplateCart), cart_data(store, [(plan, 1), (product, 1)])
    )

    assert response.status_code == 200
    assert "must hold that one subscription only" in non_form_errors(response)[0]

    response = merchant_client.post(add_url(TemplateCart), cart_data(store, [(plan, 1)]))
    assert response.status_code == 302


def test_store_cannot_move_once_created(merchant_client, merchant, store, product):
    second = StoreFactory(owner=merchant, name="Second")
    cart = make_cart(store, (product, 1))
    item = cart.items.get()

    data = cart_data(second, [(product, 1, item)], initial=1)
    response = merchant_client.post(change_url(cart), data)

    assert response.status_code == 302
    cart.refresh_from_db()
    assert cart.store == store
