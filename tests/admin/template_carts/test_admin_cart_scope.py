"""Template carts in admin are the merchant's own: scoped lists, pages and choices, and
changelists whose cost does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkout.models import TemplateCart
from tests.admin.cart_admin_support import (
    cart_data,
    make_cart,
)
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    add_url,
    change_url,
    changelist_url,
)
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db


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
