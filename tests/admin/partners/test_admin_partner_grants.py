"""Partner grants and baskets in admin, as a merchant: scoped to the merchant's stores;
grants limited to the merchant's stores, products and active partners."""

import pytest
from django.utils import timezone

from partners.models import Basket, Partner, PartnerGrant
from tests.admin.partner_support import WRONG_STORE, grant_data, result_list
from tests.admin_factories import (
    SuperuserFactory,
    action_data,
    add_url,
    admin_url,
    change_url,
    changelist_url,
    form_errors,
)
from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import (
    PartnerFactory,
    PartnerGrantFactory,
    make_basket,
)

pytestmark = pytest.mark.django_db


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
