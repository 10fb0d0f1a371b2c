"""Changelists cost the same number of SQL statements for 2 rows as for 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import services as catalog_services
from catalog.models import Product, ProductVersion
from core import signing
from stores.models import ApiKey, Store, StoreMembership, StoreRole
from tests.admin_factories import AdminMerchantFactory, SuperuserFactory, changelist_url
from tests.factories import ApiKeyFactory, ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

# Small keys: only the fingerprints have to differ, and generating 2048-bit keys is slow.
_PUBLIC_KEYS = [signing.generate_key_pair(bits=2048)[1] for _ in range(10)]


def add_stores(merchant, count):
    for _ in range(count):
        StoreFactory(owner=merchant)


def add_products(merchant, count):
    store = Store.objects.reachable_by(merchant.pk).first() or StoreFactory(owner=merchant)
    for index in range(count):
        product = ProductFactory(store=store, publish=index % 2 == 0)
        if index % 3 == 0:
            catalog_services.product_update(product=product, name=f"Renamed {index}")


def add_api_keys(merchant, count):
    start = ApiKey.objects.filter(merchant=merchant).count()
    for index in range(start, start + count):
        ApiKeyFactory(merchant=merchant, public_key=_PUBLIC_KEYS[index])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("model", "add_rows"),
    [(Store, add_stores), (Product, add_products), (ApiKey, add_api_keys)],
    ids=["stores", "products", "api_keys"],
)
@pytest.mark.parametrize("as_superuser", [False, True], ids=["merchant", "superuser"])
def test_changelist_query_count_does_not_grow_with_rows(client, model, add_rows, as_superuser):
    merchant = AdminMerchantFactory()
    # Another merchant's rows are around too (and hidden from the merchant).
    add_rows(AdminMerchantFactory(), 3)
    user = SuperuserFactory() if as_superuser else merchant.user
    client.force_login(user)
    url = changelist_url(model)

    add_rows(merchant, 2)
    few, few_rows = count_queries(client, url)
    add_rows(merchant, 8)
    many, many_rows = count_queries(client, url)

    expected_rows = (5, 13) if as_superuser else (2, 10)
    assert (few_rows, many_rows) == expected_rows
    assert few == many


@pytest.mark.parametrize("model", [ProductVersion, StoreMembership], ids=["versions", "members"])
def test_other_changelists_are_constant_too(client, model):
    merchant = AdminMerchantFactory()
    client.force_login(SuperuserFactory() if model is StoreMembership else merchant.user)
    url = changelist_url(model)

    add_products(merchant, 2)
    few, _ = count_queries(client, url)
    add_products(merchant, 8)
    store = StoreFactory(owner=AdminMerchantFactory())
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole.MEMBER)
    many, _ = count_queries(client, url)

    assert few == many
