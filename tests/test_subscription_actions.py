"""subscription-order/cancel-order and reactivate-order: the SDK's statuses, the state
machine's refusals, and tenant and buyer scoping."""

import pytest

from orders.models import Order
from orders.services import order_place
from subscriptions import states
from tests.checkout_factories import billing, make_session
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.keys import OTHER_KEY_PAIR
from tests.refund_support import as_customer, paid_payment
from tests.signed_client import SignedClient
from tests.subscription_support import subscribe, subscription_product

pytestmark = pytest.mark.django_db
CANCEL = "/v1/actions/subscription-order/cancel-order"
REACTIVATE = "/v1/actions/subscription-order/reactivate-order"


@pytest.fixture
def plan(store):
    return subscription_product(store)


def with_status(order: Order, status: str) -> Order:
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


def error(response) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("status", "cancel", "reactivate"),
    [
        ("active", (200, "canceling"), (400, "Only a canceling subscription can be reactivated (this one is active)")),
        ("past_due", (200, "canceling"), (400, "Only a canceling subscription can be reactivated (this one is past_due)")),
        ("canceling", (200, "canceling"), (200, "active")),
        ("canceled", (200, "canceled"), (400, "Only a canceling subscription can be reactivated (this one is canceled)")),
        ("expired", (400, "Cannot change a expired subscription to canceling"), (400, "Only a canceling subscription can be reactivated (this one is expired)")),
        ("closed", (400, "Cannot change a closed subscription to canceling"), (400, "Only a canceling subscription can be reactivated (this one is closed)")),
    ],
)  # fmt: skip
def test_the_state_machine_decides(client, store, plan, status, cancel, reactivate):
    order = with_status(subscribe(plan).order, status)
    customer = as_customer(client, store)

    for path, expected in ((CANCEL, cancel), (REACTIVATE, reactivate)):
        with_status(order, status)
        response = customer(path, {"orderId": order.public_id})
        if expected[0] == 200:
            assert response.status_code == 200, response.content
            assert response.json()["data"] == {"orderId": order.public_id, "status": expected[1]}
            assert Order.objects.get(pk=order.pk).status == expected[1]
        else:
            assert error(response) == expected
            assert Order.objects.get(pk=order.pk).status == status


def test_a_pending_subscription_is_canceled_at_once(client, store, plan):
    session = make_session(product=plan, buyerEmail="buyer@example.com")
    order = order_place(session=session, billing=billing("DE"), buyer_identity="buyer-1")

    response = as_customer(client, store)(CANCEL, {"orderId": order.public_id})

    assert response.json()["data"] == {"orderId": order.public_id, "status": "canceled"}


def test_the_merchant_cancels_with_its_key_and_cannot_reactivate(api, plan):
    order = subscribe(plan).order

    assert api.post(CANCEL, {"orderId": order.public_id}).json()["data"]["status"] == "canceling"
    assert api.post(REACTIVATE, {"orderId": order.public_id}).status_code == 401


@pytest.mark.parametrize("who", ["stranger", "other_merchant", "prod"])
def test_another_buyers_or_merchants_subscription_is_not_found(client, store, plan, who, prod_api):
    order = subscribe(plan).order
    other = MerchantFactory()

    if who == "stranger":
        response = as_customer(client, store, identity="user-42")(
            CANCEL, {"orderId": order.public_id}
        )
    elif who == "other_merchant":
        ApiKeyFactory(merchant=other, public_key=OTHER_KEY_PAIR[1])
        StoreFactory(owner=other)
        response = SignedClient(other.public_id, OTHER_KEY_PAIR[0]).post(
            CANCEL, {"orderId": order.public_id}
        )
    else:
        response = prod_api.post(CANCEL, {"orderId": order.public_id})

    assert error(response) == (404, "Order not found")
    assert Order.objects.get(pk=order.pk).status == states.ACTIVE


def test_a_onetime_order_is_not_a_subscription(client, store):

    order = paid_payment(ProductFactory(store=store)).order

    response = as_customer(client, store)(CANCEL, {"orderId": order.public_id})

    assert error(response) == (400, "Order is not a subscription order")


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, "Missing required field: orderId"), ({"orderId": "PAY_1"}, 'Expected format: ORD_xxx, got "PAY_1"')],
)  # fmt: skip
def test_malformed_requests_are_refused(client, store, body, message):
    assert error(as_customer(client, store)(CANCEL, body)) == (400, message)
