"""The role matrix in admin, table-driven: a store's rows that a role may not change are
shown read-only to it (the change form refuses a POST), bulk actions skip them, and a new
row cannot be put in such a store."""

import pytest

from catalog.models import Product
from checkout.models import ShippingMethod, TemplateCart
from partners.models import PartnerGrant
from stores.models import StoreMembership, StoreRole
from tests.admin_factories import (
    AdminMerchantFactory,
    action_data,
    add_url,
    change_url,
    changelist_url,
)
from tests.cart_factories import ShippingMethodFactory, TemplateCartFactory
from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import PartnerGrantFactory
from tests.webhook_support import endpoint_for
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

# model: (a row of the store, owner, admin, member) — True: the role may change it.
ROWS = {
    Product: (lambda store: ProductFactory(store=store), True, True, False),
    TemplateCart: (lambda store: TemplateCartFactory(store=store), True, True, False),
    ShippingMethod: (lambda store: ShippingMethodFactory(store=store), True, True, False),
    PartnerGrant: (lambda store: PartnerGrantFactory(store=store), True, True, False),
    WebhookEndpoint: (lambda store: endpoint_for(store, "http://127.0.0.1:9/"), True, True, False),
}
CASES = [
    pytest.param(model, role, allowed, id=f"{model.__name__}-{role}")
    for model, (_, *matrix) in ROWS.items()
    for role, allowed in zip(("owner", "admin", "member"), matrix, strict=True)
]


@pytest.fixture
def merchant():
    return AdminMerchantFactory()


def store_with(merchant, role: str):
    store = StoreFactory()
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole(role))
    return store


@pytest.mark.parametrize(("model", "role", "allowed"), CASES)
def test_admin_role_matrix(client, merchant, model, role, allowed):
    row = ROWS[model][0](store_with(merchant, role))
    client.force_login(merchant.user)

    page = client.get(change_url(row))

    assert page.status_code == 200  # every role sees its stores' rows
    assert page.context["has_change_permission"] is allowed
    if not allowed:
        assert client.post(change_url(row), {}).status_code == 403


def test_bulk_actions_skip_stores_where_the_role_may_not(client, merchant):
    managed = ProductFactory(store=store_with(merchant, "admin"))
    looked_at = ProductFactory(store=store_with(merchant, "member"))
    client.force_login(merchant.user)

    client.post(changelist_url(Product), action_data("deactivate_in_test", managed, looked_at))

    managed.refresh_from_db()
    looked_at.refresh_from_db()
    assert (managed.test_status, looked_at.test_status) == ("inactive", "active")


def test_a_new_row_offers_only_stores_where_the_role_may(client, merchant):
    managed = store_with(merchant, "owner")
    looked_at = store_with(merchant, "member")
    client.force_login(merchant.user)

    choices = client.get(add_url(Product)).context["adminform"].form.fields["store"].queryset

    assert set(choices) == {managed}
    assert looked_at not in choices
