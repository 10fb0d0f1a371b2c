"""Partner grants and baskets in admin, as a merchant: scoped to the merchant's stores, grants
limited to the merchant's stores, products and active partners, baskets read-only with their
current state and partner order, the partner admin for superusers only, constant-cost
changelists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import Basket, BasketState, Partner, PartnerGrant
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    action_data,
    add_url,
    admin_url,
    change_url,
    changelist_url,
    form_errors,
)
from tests.factories import ProductFactory, StoreFactory, UserFactory
from tests.partner_factories import (
    PartnerFactory,
    PartnerGrantFactory,
    make_basket,
    pay_basket,
)

pytestmark = pytest.mark.django_db

WRONG_STORE = "Every product must belong to the chosen store."


@pytest.fixture
def product(store):
    return ProductFactory(store=store, name="Widget")


@pytest.fixture
def theirs():
    """Another merchant's store with one product."""
    store = StoreFactory(owner=AdminMerchantFactory(), name="Theirs")
    ProductFactory(store=store, name="Their widget")
    return store


@pytest.fixture
def partner():
    return PartnerFactory(name="Acme Resellers")


def grant_data(partner, store, products=(), **overrides) -> dict:
    data = {
        "partner": str(partner.pk),
        "store": str(store.pk),
        "products": [str(product.pk) for product in products],
        "_save": "Save",
    }
    data.update(overrides)
    return data


def result_list(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


# --- scope ---------------------------------------------------------------------------------


def test_grant_changelist_lists_the_merchants_stores_only(merchant_client, store, theirs, partner):
    mine = PartnerGrantFactory(partner=partner, store=store)
    PartnerGrantFactory(partner=PartnerFactory(name="Stranger Co"), store=theirs)

    response = merchant_client.get(changelist_url(PartnerGrant))

    assert result_list(response) == [mine]
    assert "Acme Resellers" in response.text
    assert "Stranger Co" not in response.text
    assert "All products" in response.text


def test_another_merchants_grant_is_404(merchant_client, store, theirs, partner):
    grant = PartnerGrantFactory(partner=partner, store=theirs)

    assert merchant_client.get(change_url(grant)).status_code == 404
    response = merchant_client.post(change_url(grant), grant_data(partner, store))
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.store == theirs


def test_grant_of_a_deleted_store_is_out_of_scope(merchant_client, store, partner):
    grant = PartnerGrantFactory(partner=partner, store=store)
    store.deleted_at = timezone.now()
    store.save()

    assert merchant_client.get(change_url(grant)).status_code == 404
    assert result_list(merchant_client.get(changelist_url(PartnerGrant))) == []


def test_basket_changelist_lists_the_merchants_stores_only(
    merchant_client, product, theirs, partner
):
    mine = make_basket(partner, product)
    make_basket(PartnerFactory(name="Stranger Co"), theirs.products.get())

    response = merchant_client.get(changelist_url(Basket))

    assert result_list(response) == [mine]
    assert mine.public_id in response.text
    assert "Stranger Co" not in response.text


def test_another_merchants_basket_is_404(merchant_client, theirs, partner):
    basket = make_basket(partner, theirs.products.get())

    assert merchant_client.get(change_url(basket)).status_code == 404
    assert merchant_client.post(change_url(basket), {"_save": "Save"}).status_code == 404


def test_superuser_sees_every_grant_and_basket(client, product, theirs, partner):
    PartnerGrantFactory(partner=partner, store=product.store)
    PartnerGrantFactory(partner=partner, store=theirs)
    make_basket(partner, product)
    make_basket(partner, theirs.products.get())
    client.force_login(SuperuserFactory())

    assert len(result_list(client.get(changelist_url(PartnerGrant)))) == 2
    assert len(result_list(client.get(changelist_url(Basket)))) == 2


# --- the grant form ------------------------------------------------------------------------


def test_grant_form_offers_the_merchants_stores_products_and_active_partners_only(
    merchant_client, merchant, store, product, theirs, partner
):
    second = StoreFactory(owner=merchant, name="Second")
    gadget = ProductFactory(store=second, name="Gadget")
    asleep = PartnerFactory(name="Dormant Ltd")
    asleep.active = False
    asleep.save()

    response = merchant_client.get(add_url(PartnerGrant))

    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert set(fields["store"].queryset) == {store, second}
    assert set(fields["products"].queryset) == {product, gadget}
    assert set(fields["partner"].queryset) == {partner}
    assert "Their widget" not in response.text
    assert "Theirs" not in response.text
    assert "Dormant Ltd" not in response.text


def test_add_grant_records_the_merchant_as_granting_it(merchant_client, merchant, store, product):
    partner = PartnerFactory(name="Acme Resellers")

    response = merchant_client.post(add_url(PartnerGrant), grant_data(partner, store, [product]))

    assert response.status_code == 302, form_errors(response)
    grant = PartnerGrant.objects.get()
    assert (grant.partner, grant.store, grant.granted_by) == (partner, store, merchant)
    assert list(grant.products.all()) == [product]
    listing = merchant_client.get(changelist_url(PartnerGrant))
    assert "1 product(s)" in listing.text


def test_grant_naming_a_product_of_another_own_store_is_refused(
    merchant_client, merchant, store, partner
):
    gadget = ProductFactory(store=StoreFactory(owner=merchant, name="Second"), name="Gadget")

    response = merchant_client.post(add_url(PartnerGrant), grant_data(partner, store, [gadget]))

    assert response.status_code == 200
    assert form_errors(response) == {"__all__": [WRONG_STORE]}
    assert not PartnerGrant.objects.exists()


def test_grant_for_another_merchants_store_is_refused(merchant_client, theirs, partner):
    response = merchant_client.post(
        add_url(PartnerGrant), grant_data(partner, theirs, [theirs.products.get()])
    )

    assert response.status_code == 200
    errors = form_errors(response)
    assert "store" in errors and "Select a valid choice" in errors["store"][0]
    assert "products" in errors  # their product is not a choice either
    assert not PartnerGrant.objects.exists()


def test_grant_cannot_be_moved_to_another_merchants_store(merchant_client, store, theirs, partner):
    grant = PartnerGrantFactory(partner=partner, store=store)

    response = merchant_client.post(change_url(grant), grant_data(partner, theirs))

    assert response.status_code == 200
    assert "store" in form_errors(response)
    grant.refresh_from_db()
    assert grant.store == store


def test_grant_to_an_inactive_partner_is_refused(merchant_client, store):
    asleep = PartnerFactory(name="Dormant Ltd")
    Partner.objects.filter(pk=asleep.pk).update(active=False)

    response = merchant_client.post(add_url(PartnerGrant), grant_data(asleep, store))

    assert response.status_code == 200
    assert "partner" in form_errors(response)
    assert not PartnerGrant.objects.exists()


def test_second_grant_of_the_same_store_to_a_partner_is_a_form_error(
    merchant_client, store, partner
):
    PartnerGrantFactory(partner=partner, store=store)

    response = merchant_client.post(add_url(PartnerGrant), grant_data(partner, store))

    assert response.status_code == 200
    assert form_errors(response)
    assert PartnerGrant.objects.count() == 1


# --- withdrawing a grant -------------------------------------------------------------------


def test_merchant_withdraws_its_grant(merchant_client, store, product, partner):
    grant = PartnerGrantFactory(partner=partner, store=store, products=[product])
    url = admin_url(PartnerGrant, "delete", grant.pk)

    assert merchant_client.get(url).status_code == 200
    response = merchant_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not PartnerGrant.objects.exists()


def test_merchant_withdraws_grants_from_the_changelist(merchant_client, store, theirs, partner):
    mine = PartnerGrantFactory(partner=partner, store=store)
    other = PartnerGrantFactory(partner=partner, store=theirs)

    response = merchant_client.post(
        changelist_url(PartnerGrant), {**action_data("delete_selected", mine, other), "post": "yes"}
    )

    assert response.status_code == 302
    assert list(PartnerGrant.objects.all()) == [other]


def test_merchant_cannot_delete_another_merchants_grant(merchant_client, theirs, partner):
    grant = PartnerGrantFactory(partner=partner, store=theirs)
    url = admin_url(PartnerGrant, "delete", grant.pk)

    assert merchant_client.get(url).status_code == 404
    assert merchant_client.post(url, {"post": "yes"}).status_code == 404
    merchant_client.post(
        changelist_url(PartnerGrant), {**action_data("delete_selected", grant), "post": "yes"}
    )
    assert PartnerGrant.objects.filter(pk=grant.pk).exists()


# --- baskets -------------------------------------------------------------------------------


def test_baskets_are_read_only(merchant_client, product, partner):
    basket = make_basket(partner, product, quantity=2)

    assert merchant_client.get(add_url(Basket)).status_code == 403
    page = merchant_client.get(change_url(basket))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert 'name="_continue"' not in page.text
    response = merchant_client.post(
        change_url(basket), {"state": "completed", "currency": "EUR", "_save": "Save"}
    )
    assert response.status_code == 403
    basket.refresh_from_db()
    assert (basket.state, basket.currency) == (BasketState.ACTIVE, "USD")
    delete = admin_url(Basket, "delete", basket.pk)
    assert merchant_client.post(delete, {"post": "yes"}).status_code == 403
    assert Basket.objects.filter(pk=basket.pk).exists()


@pytest.mark.parametrize("as_superuser", [False, True], ids=["merchant", "superuser"])
def test_basket_page_shows_its_items(client, merchant, product, partner, as_superuser):
    basket = make_basket(partner, product, quantity=3)
    client.force_login(SuperuserFactory() if as_superuser else merchant.user)

    response = client.get(change_url(basket))

    assert response.status_code == 200
    formsets = response.context["inline_admin_formsets"]
    assert len(formsets) == 1, "the basket's items are not shown"
    assert [form.instance.quantity for form in formsets[0].formset.forms] == [3]
    assert "Widget" in response.text


def test_basket_list_shows_current_state_and_partner_order(
    merchant_client, store, product, partner
):
    paid = make_basket(partner, product)
    order = pay_basket(paid)
    expired = make_basket(partner, product, quantity=2)
    Basket.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    active = make_basket(partner, product, quantity=3)

    response = merchant_client.get(changelist_url(Basket))

    rows = result_list(response)
    admin = response.context["cl"].model_admin
    shown = {basket.pk: (admin.current_state(basket), admin.order(basket)) for basket in rows}
    assert shown == {
        paid.pk: ("completed", f"{order.public_id} (completed)"),
        expired.pk: ("expired", "—"),
        active.pk: ("active", "—"),
    }
    assert Basket.objects.get(pk=expired.pk).state == BasketState.ACTIVE  # stored row unchanged
    assert f"{order.public_id} (completed)" in response.text
    assert "expired" in response.text and "completed" in response.text


def test_basket_state_filter_follows_the_current_state(merchant_client, product, partner):
    paid = make_basket(partner, product)
    pay_basket(paid)
    lapsed = make_basket(partner, product, quantity=2)
    Basket.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    active = make_basket(partner, product, quantity=3)

    def listed(state):
        response = merchant_client.get(changelist_url(Basket), {"state": state})
        return {basket.pk for basket in result_list(response)}

    assert listed("active") == {active.pk}
    assert listed("expired") == {lapsed.pk}
    assert listed("completed") == {paid.pk}


def test_basket_page_shows_current_state_and_partner_order(merchant_client, product, partner):
    basket = make_basket(partner, product)
    order = pay_basket(basket)

    response = merchant_client.get(change_url(basket))

    assert response.status_code == 200
    assert f"{order.public_id} (completed)" in response.text


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
