"""The role matrix, table-driven: every actions-API call a signed merchant can make, made by
an owner, an admin and a member of the store, against the table the README publishes.

The table is written out here, not read from ``stores.roles``, so a change to the
capability table that the README does not also make fails this test. A route that takes
API keys and is not in the table fails too (``test_every_signed_route_is_in_the_matrix``):
a new action must say what each role may do.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver, path

from catalog.groups import group_create
from catalog.models import Product, ProductVersion
from checkout.models import TemplateCart
from config import api_urls
from core.api.views import ActionView
from core.models import DomainEvent
from orders.models import Order
from payments.models import RefundTicket
from stores.models import Store, StoreMembership, StoreRole
from stores.roles import Capability, every_role_allows
from subscriptions.models import PlanChange
from tests.factories import MerchantFactory, ProductFactory, StoreFactory, UserFactory
from tests.refund_support import ask, paid_payment
from tests.subscription_support import subscribe, subscription_product
from tests.webhook_support import endpoint_for
from webhooks.models import WebhookEndpoint

FORBIDDEN = "Access denied: you do not have permission to this store"
ROLES = ("owner", "admin", "member")
TEAMMATE = "teammate@example.com"
PRICES = {"USD": {"amount": "9.00", "taxCategory": "digital_goods"}}


def _product(store):
    return ProductFactory(store=store)


def _cart(store):
    product = _product(store)
    return TemplateCart.objects.create(
        store=store, environment="test", name="Bundle", currency="USD"
    ), product


def _group(store):
    return group_create(store=store, environment="test", name="Tiers", product_ids=[])


def _teammate(store):
    """A merchant in the team with role member (the target of the team calls)."""
    teammate = MerchantFactory(user=UserFactory(username=TEAMMATE))
    StoreMembership.objects.create(store=store, merchant=teammate, role=StoreRole.MEMBER)
    return teammate


def _cart_body(store):
    product = _product(store)
    return {
        "storeId": store.public_id,
        "name": "Bundle",
        "currency": "USD",
        "items": [{"productId": product.public_id, "quantity": 1}],
    }


# path: (body for the store, owner, admin, member) — True: the role may.
MATRIX = {
    "store/create-store": (lambda s: {"name": "Another"}, True, True, True),
    "store/update-store": (lambda s: {"id": s.public_id, "name": "New"}, True, True, False),
    "store/delete-store": (lambda s: {"id": s.public_id}, True, False, False),
    "store/add-webhook": (
        lambda s: {
            "storeId": s.public_id,
            "channel": "http",
            "url": "http://127.0.0.1:9/hooks",
            "events": ["order.completed"],
            "testMode": True,
        },
        True,
        True,
        False,
    ),
    "store/update-webhook": (
        lambda s: {
            "id": str(endpoint_for(s, "http://127.0.0.1:9/").pk),
            "url": "http://127.0.0.1:10/",
        },
        True,
        True,
        False,
    ),
    "store/remove-webhook": (
        lambda s: {"id": str(endpoint_for(s, "http://127.0.0.1:9/").pk)},
        True,
        True,
        False,
    ),
    "store-merchant/add-merchant": (
        lambda s: {
            "storeId": s.public_id,
            "email": MerchantFactory(user=UserFactory(username="new@example.com")).user.email,
            "role": "member",
        },
        True,
        True,
        False,
    ),
    "store-merchant/update-role": (
        lambda s: {"storeId": s.public_id, "merchantId": _teammate(s).public_id, "role": "admin"},
        True,
        True,
        False,
    ),
    "store-merchant/remove-merchant": (
        lambda s: {"storeId": s.public_id, "merchantId": _teammate(s).public_id},
        True,
        True,
        False,
    ),
    "onetime-product/create-product": (
        lambda s: {"storeId": s.public_id, "name": "Book", "prices": PRICES},
        True,
        True,
        False,
    ),
    "onetime-product/update-product": (
        lambda s: {"id": _product(s).public_id, "name": "Renamed"},
        True,
        True,
        False,
    ),
    "onetime-product/publish-product": (
        lambda s: {"id": _product(s).public_id},
        True,
        True,
        False,
    ),
    "onetime-product/update-status": (
        lambda s: {"id": _product(s).public_id, "status": "inactive"},
        True,
        True,
        False,
    ),
    "subscription-product/create-product": (
        lambda s: {
            "storeId": s.public_id,
            "name": "Pro",
            "prices": PRICES,
            "billingPeriod": "monthly",
        },
        True,
        True,
        False,
    ),
    "subscription-product/update-product": (
        lambda s: {"id": subscription_product(s).public_id, "name": "Renamed"},
        True,
        True,
        False,
    ),
    "subscription-product/publish-product": (
        lambda s: {"id": subscription_product(s).public_id},
        True,
        True,
        False,
    ),
    "subscription-product/update-status": (
        lambda s: {"id": subscription_product(s).public_id, "status": "inactive"},
        True,
        True,
        False,
    ),
    "subscription-product-group/create-group": (
        lambda s: {"storeId": s.public_id, "name": "Tiers"},
        True,
        True,
        False,
    ),
    "subscription-product-group/update-group": (
        lambda s: {"id": str(_group(s).pk), "name": "Renamed"},
        True,
        True,
        False,
    ),
    "subscription-product-group/delete-group": (
        lambda s: {"id": str(_group(s).pk)},
        True,
        True,
        False,
    ),
    "subscription-product-group/publish-group": (
        lambda s: {"id": str(_group(s).pk)},
        True,
        True,
        False,
    ),
    "template-cart/create-cart": (_cart_body, True, True, False),
    "template-cart/update-cart": (
        lambda s: {"id": _cart(s)[0].public_id, "name": "Renamed"},
        True,
        True,
        False,
    ),
    "refund-ticket/create-ticket": (
        lambda s: ask(paid_payment(_product(s)), "1.00"),
        True,
        True,
        False,
    ),
    "subscription-order/cancel-order": (
        lambda s: {"orderId": subscribe(subscription_product(s)).order.public_id},
        True,
        True,
        False,
    ),
    "checkout/create-session": (
        lambda s: {"productId": _product(s).public_id, "currency": "USD"},
        True,
        True,
        True,
    ),
    # The same endpoint in plan change mode may charge a buyer's saved card: orders.
    "checkout/create-session#plan-change": (
        lambda s: {
            "originOrderId": subscribe(subscription_product(s)).order.public_id,
            "productId": subscription_product(s, name="Pro").public_id,
            "currency": "USD",
        },
        True,
        True,
        False,
    ),
    "auth/issue-session-token": (
        lambda s: {"storeId": s.public_id, "buyerIdentity": "buyer@example.com"},
        True,
        True,
        True,
    ),
    "graphql": (lambda s: {"query": "{ stores { id name } }"}, True, True, True),
}
CASES = [
    pytest.param(action, role, allowed, id=f"{action}-{role}")
    for action, (_, *matrix) in MATRIX.items()
    for role, allowed in zip(ROLES, matrix, strict=True)
]


def footprint(store) -> dict:
    """What any refused call could have changed."""
    store.refresh_from_db()
    return {
        "store": (store.name, store.deleted_at),
        "stores": Store.objects.count(),
        "memberships": sorted(StoreMembership.objects.values_list("merchant_id", "role")),
        "products": sorted(
            Product.objects.values_list("test_version", "prod_version", "test_status")
        ),
        "versions": ProductVersion.objects.count(),
        "webhooks": sorted(WebhookEndpoint.objects.values_list("url", flat=True)),
        "carts": sorted(TemplateCart.objects.values_list("name", flat=True)),
        "tickets": RefundTicket.objects.count(),
        "orders": sorted(Order.objects.values_list("status", flat=True)),
        "events": DomainEvent.objects.count(),
        "plan_changes": PlanChange.objects.count(),
    }


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_role_matrix(api, merchant, action, role, allowed):
    store = StoreFactory()  # the caller is its only member unless a call adds one
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole(role))
    body = MATRIX[action][0](store)
    before = footprint(store)

    route = action.split("#")[0]  # "#…" names a mode of the route
    path = "/v1/graphql" if action == "graphql" else f"/v1/actions/{route}"
    response = api.post(path, body)

    if allowed:
        assert response.status_code == 200, response.content
        return
    assert response.status_code == 403, response.content
    message = (
        "Only the store owner can delete the store" if action == "store/delete-store" else FORBIDDEN
    )
    assert response.json() == {"data": None, "errors": [{"message": message, "layer": "store"}]}
    assert footprint(store) == before


def test_every_signed_route_is_in_the_matrix():
    """Each action that takes API keys declares a capability, names where its store is
    when not every role holds it, and has its row in the table above."""
    signed = {}
    for pattern in get_resolver(api_urls).url_patterns:
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not issubclass(view, ActionView):
            continue
        if "api_key" in view.allowed_credentials:
            signed[str(pattern.pattern).removeprefix("actions/")] = view
    assert sorted(signed) == sorted(action for action in MATRIX if "#" not in action)
    for route, view in signed.items():
        assert view.capability is not None, route
        assert every_role_allows(view.capability) or view.store_of is not None, route


class Undeclared(ActionView):
    """An action that forgot to say what it needs."""

    def perform(self, request, payload):
        return {"done": True}


class NoStoreNamed(ActionView):
    capability = Capability.CATALOG  # not every role's, but no store_of

    def perform(self, request, payload):
        return {"done": True}


urlpatterns = [
    path("v1/actions/test/undeclared", Undeclared.as_view()),
    path("v1/actions/test/no-store", NoStoreNamed.as_view()),
]


@pytest.mark.urls("tests.test_roles")
def test_an_action_without_a_capability_refuses_api_keys(api, store):
    response = api.post("/v1/actions/test/undeclared", {"storeId": store.public_id})

    assert response.status_code == 403
    assert response.json() == {"data": None, "errors": [{"message": FORBIDDEN, "layer": "store"}]}


@pytest.mark.urls("tests.test_roles")
def test_a_store_capability_without_store_of_is_a_programming_error(api, store, caplog):
    response = api.post("/v1/actions/test/no-store", {"storeId": store.public_id})

    assert response.status_code == 500  # never run unchecked
    assert "done" not in response.content.decode()
    assert any(
        record.exc_info and record.exc_info[0] is ImproperlyConfigured for record in caplog.records
    )
