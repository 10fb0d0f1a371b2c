"""Template carts in admin: scoped to the merchant's stores, validated items, the public link
and its QR code, constant-cost changelists; and the product form's "requires shipping"."""

import base64
import io
import re

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from ulid import ULID

from catalog.models import Product
from checkout.models import TemplateCart, TemplateCartItem
from stores.models import Environment
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    add_url,
    change_url,
    changelist_url,
    form_errors,
    price_rows,
    product_form_data,
)
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

USD = {"USD": {"amount": "29.00", "taxCategory": "digital_goods", "taxIncluded": False}}


@pytest.fixture
def product(store):
    return ProductFactory(store=store, name="Widget")


def make_cart(store, *items, **fields):
    fields.setdefault("environment", Environment.TEST)
    fields.setdefault("name", "Kit")
    fields.setdefault("currency", "USD")
    cart = TemplateCart.objects.create(store=store, **fields)
    for position, (product, quantity) in enumerate(items):
        TemplateCartItem.objects.create(
            cart=cart, product=product, quantity=quantity, position=position
        )
    return cart


def cart_data(store=None, items=(), *, initial=0, **overrides):
    """What the cart add/change form posts; ``items`` are (product, quantity[, item]) rows."""
    data = {
        "environment": "test",
        "name": "Starter kit",
        "currency": "USD",
        "success_url": "",
        "active": "on",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    if store is not None:
        data["store"] = str(store.pk)
    for index, row in enumerate(items):
        product, quantity = row[0], row[1]
        data[f"items-{index}-product"] = str(product.pk)
        data[f"items-{index}-quantity"] = str(quantity)
        data[f"items-{index}-position"] = str(index)
        if len(row) > 2:
            data[f"items-{index}-id"] = str(row[2].pk)
            data[f"items-{index}-cart"] = str(row[2].cart_id)
    data.update(overrides)
    return data


def formset_errors(response) -> list:
    return [dict(errors) for errors in response.context["inline_admin_formsets"][0].formset.errors]


def non_form_errors(response) -> list[str]:
    return list(response.context["inline_admin_formsets"][0].formset.non_form_errors())


# --- scope ---------------------------------------------------------------------------------


def test_changelist_shows_own_carts_with_item_counts(merchant_client, store, product):
    other = ProductFactory(store=store, name="Other")
    make_cart(store, (product, 2), (other, 1), name="Two items")
    make_cart(store, name="Empty", currency="EUR", active=False)
    theirs = StoreFactory(owner=AdminMerchantFactory(), name="Theirs")
    make_cart(theirs, (ProductFactory(store=theirs), 1), name="Not yours")

    response = merchant_client.get(changelist_url(TemplateCart))

    assert response.status_code == 200
    rows = {cart.name: cart.items_total for cart in response.context["cl"].result_list}
    assert rows == {"Two items": 2, "Empty": 0}
    assert "Not yours" not in response.text
    for column in ("Name", "Store", "Environment", "Currency", "Items", "Active", "Created at"):
        assert column in response.text


def test_another_merchants_cart_is_404(merchant_client):
    theirs = StoreFactory(owner=AdminMerchantFactory())
    cart = make_cart(theirs, (ProductFactory(store=theirs), 1), name="Theirs")

    assert merchant_client.get(change_url(cart)).status_code == 404
    response = merchant_client.post(change_url(cart), cart_data(name="Mine now"))
    assert response.status_code == 404
    cart.refresh_from_db()
    assert cart.name == "Theirs"


def test_deleted_store_hides_its_carts(merchant_client, store, product):
    from django.utils import timezone

    cart = make_cart(store, (product, 1))
    store.deleted_at = timezone.now()
    store.save()

    assert merchant_client.get(change_url(cart)).status_code == 404


def test_store_and_product_choices_are_the_merchants_own(merchant_client, store, product):
    theirs = StoreFactory(owner=AdminMerchantFactory(), name="Their store")
    ProductFactory(store=theirs, name="Their product")

    response = merchant_client.get(add_url(TemplateCart))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields["store"].queryset) == [store]
    formset = response.context["inline_admin_formsets"][0].formset
    assert list(formset.forms[0].fields["product"].queryset) == [product]
    assert "Their product" not in response.text


def test_change_page_offers_only_the_carts_store_products(
    merchant_client, merchant, store, product
):
    second = StoreFactory(owner=merchant, name="Second")
    ProductFactory(store=second, name="Elsewhere")
    cart = make_cart(store, (product, 1))

    response = merchant_client.get(change_url(cart))

    formset = response.context["inline_admin_formsets"][0].formset
    assert list(formset.forms[0].fields["product"].queryset) == [product]


def test_the_merchant_group_alone_reaches_carts_and_staff_without_it_does_not(client):
    merchant = AdminMerchantFactory()  # the Merchants group's permissions, nothing else
    store = StoreFactory(owner=merchant)
    cart = make_cart(store)
    client.force_login(merchant.user)
    assert client.get(changelist_url(TemplateCart)).status_code == 200
    assert client.get(change_url(cart)).status_code == 200

    merchant.user.groups.clear()
    client.force_login(merchant.user)
    assert client.get(changelist_url(TemplateCart)).status_code == 403


def test_superuser_sees_every_cart(client, store, product):
    theirs = StoreFactory(owner=AdminMerchantFactory())
    make_cart(store, (product, 1), name="One")
    make_cart(theirs, name="Two")
    client.force_login(SuperuserFactory())

    response = client.get(changelist_url(TemplateCart))

    assert {cart.name for cart in response.context["cl"].result_list} == {"One", "Two"}


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


# --- public link and QR code ---------------------------------------------------------------


def decode_png_data_uri(uri: str) -> str:
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return results[0].text


def test_change_page_shows_the_public_link_and_a_qr_code_of_it(
    merchant_client, settings, store, product
):
    settings.PUBLIC_BASE_URL = "https://pay.example.com"
    cart = make_cart(store, (product, 1))
    public_url = f"https://pay.example.com/c/{cart.public_id}"

    response = merchant_client.get(change_url(cart))

    assert response.status_code == 200
    html = response.text
    assert f"<code>{cart.public_id}</code>" in html
    assert f'<a href="{public_url}" id="cart-public-url">{public_url}</a>' in html
    image = re.search(
        r'<img src="(data:image/png;base64,[^"]+)" alt="QR code of ([^"]+)"[^>]*id="cart-qr-code"',
        html,
    )
    assert image is not None
    assert image.group(2) == public_url
    assert decode_png_data_uri(image.group(1)) == public_url
    assert f'download="cart-{cart.public_id}.png"' in html
    # The CSP allows data: images and nothing inline is needed.
    assert "data:" in response["Content-Security-Policy"].split("img-src", 1)[1].split(";")[0]


def test_add_page_has_no_qr_code_yet(merchant_client, store):
    response = merchant_client.get(add_url(TemplateCart))
    assert "cart-qr-code" not in response.text


# --- product form: requires shipping -------------------------------------------------------


def product_add_data(store, **overrides):
    data = {
        "store": str(store.pk),
        "type": "onetime",
        "name": "Mug",
        "description": "",
        "success_url": "",
        "billing_period": "",
        "_save": "Save",
        **price_rows(USD),
    }
    data.update(overrides)
    return data


def test_new_product_can_require_shipping(merchant_client, store):
    response = merchant_client.post(
        add_url(Product), product_add_data(store, requires_shipping="on")
    )

    assert response.status_code == 302, form_errors(response)
    product = Product.objects.get()
    assert product.test_version.requires_shipping is True

    response = merchant_client.post(add_url(Product), product_add_data(store, name="Ebook"))
    assert response.status_code == 302
    assert Product.objects.get(test_version__name="Ebook").test_version.requires_shipping is False


def test_ticking_requires_shipping_makes_a_new_version(merchant_client, product):
    first = product.test_version
    assert first.requires_shipping is False
    response = merchant_client.get(change_url(product))
    assert 'name="requires_shipping"' in response.text
    assert "Requires shipping" in response.text

    response = merchant_client.post(
        change_url(product), product_form_data(product, requires_shipping="on")
    )

    assert response.status_code == 302, form_errors(response)
    product.refresh_from_db()
    assert product.version_count == 2
    assert product.test_version.requires_shipping is True
    assert product.test_version.name == first.name
    first.refresh_from_db()
    assert first.requires_shipping is False  # versions are never edited

    # The form shows the flag, and unticking it is a change again.
    assert re.search(
        r'name="requires_shipping"[^>]*checked', merchant_client.get(change_url(product)).text
    )
    response = merchant_client.post(change_url(product), product_form_data(product))
    product.refresh_from_db()
    assert (product.version_count, product.test_version.requires_shipping) == (3, False)


def test_saving_without_changes_keeps_the_version(merchant_client, product):
    response = merchant_client.post(change_url(product), product_form_data(product))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.version_count == 1


# --- query counts --------------------------------------------------------------------------


def add_carts(merchant, count):
    from stores.models import Store

    store = Store.objects.reachable_by(merchant.pk).first() or StoreFactory(owner=merchant)
    products = [ProductFactory(store=store) for _ in range(2)]
    for index in range(count):
        make_cart(
            store, *[(p, 1 + index % 3) for p in products[: 1 + index % 2]], name=f"Cart {index}"
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize("as_superuser", [False, True], ids=["merchant", "superuser"])
def test_changelist_query_count_does_not_grow_with_rows(client, as_superuser):
    merchant = AdminMerchantFactory()
    add_carts(AdminMerchantFactory(), 3)  # another merchant's, hidden from the merchant
    client.force_login(SuperuserFactory() if as_superuser else merchant.user)
    url = changelist_url(TemplateCart)

    add_carts(merchant, 2)
    few, few_rows = count_queries(client, url)
    add_carts(merchant, 8)
    many, many_rows = count_queries(client, url)

    assert (few_rows, many_rows) == ((5, 13) if as_superuser else (2, 10))
    assert few == many
