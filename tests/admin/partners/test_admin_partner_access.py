"""Who reaches the partner admin (the merchant group, superusers for partners) and the
changelists' constant cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import Basket, Partner, PartnerGrant
from tests.admin.partner_support import grant_data
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    add_url,
    admin_url,
    change_url,
    changelist_url,
)
from tests.factories import ProductFactory, StoreFactory, UserFactory
from tests.partner_factories import (
    PartnerFactory,
    PartnerGrantFactory,
    make_basket,
    pay_basket,
)

pytestmark = pytest.mark.django_db


# --- permissions ---------------------------------------------------------------------------


def _list_pages() -> list[str]:
    return [changelist_url(PartnerGrant), add_url(PartnerGrant), changelist_url(Basket)]


def _object_pages(grant, basket) -> list[str]:
    return [change_url(grant), admin_url(PartnerGrant, "delete", grant.pk), change_url(basket)]


def test_merchant_without_the_group_gets_403(client, merchant, product, partner):
    grant = PartnerGrantFactory(partner=partner, store=product.store)
    basket = make_basket(partner, product)
    merchant.user.groups.clear()
    client.force_login(merchant.user)

    for url in _list_pages() + _object_pages(grant, basket):
        assert client.get(url).status_code == 403, url
    assert client.post(add_url(PartnerGrant), grant_data(partner, product.store)).status_code == 403
    assert client.post(change_url(basket), {"_save": "Save"}).status_code == 403
    assert PartnerGrant.objects.count() == 1


def test_plain_staff_user_gets_403_on_lists_and_404_on_objects(client, product, partner):
    grant = PartnerGrantFactory(partner=partner, store=product.store)
    basket = make_basket(partner, product)
    client.force_login(UserFactory())  # is_staff, no merchant, no permissions

    for url in _list_pages():
        assert client.get(url).status_code == 403, url
    # No merchant, so nothing is in scope: the object lookup fails before the permission
    # check, and an object out of scope is a 404 (it does not reveal that it exists).
    for url in _object_pages(grant, basket):
        assert client.get(url).status_code == 404, url
    assert client.post(add_url(PartnerGrant), grant_data(partner, product.store)).status_code == 403
    assert PartnerGrant.objects.count() == 1


def test_merchant_group_reaches_grants_and_baskets(merchant_client, product, partner):
    grant = PartnerGrantFactory(partner=partner, store=product.store)
    basket = make_basket(partner, product)

    for url in _list_pages() + _object_pages(grant, basket):
        assert merchant_client.get(url).status_code == 200, url


def test_partner_admin_is_superuser_only(client, merchant_client, partner):
    for url in (
        changelist_url(Partner),
        add_url(Partner),
        change_url(partner),
        "/admin/partners/partner/",
    ):
        assert merchant_client.get(url).status_code == 403, url
    response = merchant_client.post(
        add_url(Partner), {"name": "Sneaky", "environment": "test", "active": "on"}
    )
    assert response.status_code == 403
    assert not Partner.objects.filter(name="Sneaky").exists()
    index = merchant_client.get("/admin/")
    models = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert "Partner" not in models
    assert {"PartnerGrant", "Basket"} <= models

    client.force_login(SuperuserFactory())
    assert client.get("/admin/partners/partner/").status_code == 200


# --- query counts --------------------------------------------------------------------------


def count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def add_grants(merchant, count):
    """``count`` grants on a new store of ``merchant``; every other one lists products."""
    store = StoreFactory(owner=merchant)
    products = [ProductFactory(store=store), ProductFactory(store=store)]
    for index in range(count):
        PartnerGrantFactory(store=store, products=products[: index % 3])


def add_baskets(merchant, count):
    """``count`` baskets on a new store of ``merchant``: paid, expired and active ones."""
    product = ProductFactory(store=StoreFactory(owner=merchant))
    partner = PartnerFactory()
    for index in range(count):
        basket = make_basket(partner, product)
        if index % 3 == 0:
            pay_basket(basket)
        elif index % 3 == 1:
            Basket.objects.filter(pk=basket.pk).update(
                expires_at=timezone.now() - timedelta(minutes=1)
            )


@pytest.mark.parametrize(
    ("model", "add_rows"),
    [(PartnerGrant, add_grants), (Basket, add_baskets)],
    ids=["grants", "baskets"],
)
@pytest.mark.parametrize("as_superuser", [False, True], ids=["merchant", "superuser"])
def test_changelist_query_count_does_not_grow_with_rows(client, model, add_rows, as_superuser):
    merchant = AdminMerchantFactory()
    add_rows(AdminMerchantFactory(), 3)  # another merchant's rows, hidden from the merchant
    client.force_login(SuperuserFactory() if as_superuser else merchant.user)
    url = changelist_url(model)

    add_rows(merchant, 2)
    few, few_rows = count_queries(client, url)
    add_rows(merchant, 8)
    many, many_rows = count_queries(client, url)

    assert (few_rows, many_rows) == ((5, 13) if as_superuser else (2, 10))
    assert few == many, f"{few} queries for {few_rows} rows, {many} for {many_rows}"
