"""A trial subscription order over GraphQL: specialPhase is what the trial charged for
specialPhaseDays days, regularPhase the plan price every later period pays."""

import pytest

from catalog.models import ProductType
from subscriptions.services import subscription_start
from tests.factories import ProductFactory
from tests.graphql_support import customer_gql, gql, paid_order
from tests.subscription_support import advance, subscribe

SNAPSHOT = """priceSnapshot {
  currency specialPhaseDays
  specialPhase { subtotal taxAmount total taxCategory }
  regularPhase { subtotal taxAmount total taxCategory }
}"""


def trial_plan(store):
    return ProductFactory(
        store=store,
        product_type=ProductType.SUBSCRIPTION,
        metadata={"trialDays": 7},
        prices={"EUR": {"amount": "20.00", "taxCategory": "saas", "trialAmount": "1.00"}},
    )


def test_a_trial_order_shows_both_phases(api, store):
    order = paid_order(trial_plan(store), currency="EUR")
    subscription_start(order=order)

    status, body = gql(
        api,
        f"""query ($id: ID!) {{
          subscriptionOrder(id: $id) {{ status {SNAPSHOT} }}
          subscriptionOrders {{ {SNAPSHOT} }}
        }}""",
        id=order.public_id,
    )

    assert status == 200, body
    detail = body["data"]["subscriptionOrder"]
    assert detail["status"] == "trialing"
    snapshot = detail["priceSnapshot"]
    assert snapshot["specialPhaseDays"] == 7
    assert snapshot["specialPhase"]["subtotal"] == "1.00"
    # The plan price with German VAT (the test billing address), as a renewal charges it.
    assert snapshot["regularPhase"] == {
        "subtotal": "20.00",
        "taxAmount": "3.80",
        "total": "23.80",
        "taxCategory": "saas",
    }
    assert body["data"]["subscriptionOrders"] == [{"priceSnapshot": snapshot}]


def test_an_order_without_trial_has_no_special_phase(api, store):
    plan = ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION)
    order = paid_order(plan, currency="EUR")
    subscription_start(order=order)

    status, body = gql(
        api,
        f"query ($id: ID!) {{ subscriptionOrder(id: $id) {{ {SNAPSHOT} }} }}",
        id=order.public_id,
    )

    assert status == 200, body
    snapshot = body["data"]["subscriptionOrder"]["priceSnapshot"]
    assert (snapshot["specialPhase"], snapshot["specialPhaseDays"]) == (None, None)
    assert snapshot["regularPhase"]["subtotal"] == "27.00"


def test_the_buyer_sees_the_trial_phases_of_their_own_order(store):
    order = paid_order(trial_plan(store), currency="EUR", identity="user-1")
    subscription_start(order=order)

    status, body = customer_gql(
        store,
        "user-1",
        f"{{ orders {{ id status ... on SubscriptionOrder {{ {SNAPSHOT} }} }} }}",
    )

    assert status == 200, body
    [row] = body["data"]["orders"]
    assert (row["id"], row["status"]) == (order.public_id, "trialing")
    assert row["priceSnapshot"]["specialPhaseDays"] == 7
    assert row["priceSnapshot"]["regularPhase"]["subtotal"] == "20.00"


@pytest.mark.parametrize("orders", [1, 15])
def test_a_page_of_trial_orders_costs_a_fixed_number_of_statements(
    api, store, orders, django_assert_max_num_queries, many_payments
):
    plan = trial_plan(store)
    for number in range(orders):
        subscription_start(order=paid_order(plan, currency="EUR", email=f"b{number}@example.com"))

    # Authentication (up to 3), then orders with subscriptions, lines, payments, prices.
    with django_assert_max_num_queries(7):
        status, body = gql(
            api,
            f"query {{ subscriptionOrders(limit: 50) {{ id currentPeriodEnd {SNAPSHOT} "
            "subscriptionProduct { name } payments { id } } }",
        )

    assert status == 200, body
    assert len(body["data"]["subscriptionOrders"]) == orders
    assert all(
        row["priceSnapshot"]["specialPhaseDays"] == 7 for row in body["data"]["subscriptionOrders"]
    )


def test_a_trials_payments_are_special_then_regular_at_what_each_charged(api, store):
    plan = trial_plan(store)
    subscription = subscribe(plan, currency="EUR")
    advance(subscription)  # the trial (1.00 for 7 days) ends: 20.00 plus German VAT

    status, body = gql(
        api,
        "query ($id: ID!) { subscriptionOrder(id: $id) { payments {"
        " snapshotAmountDetails { subtotal taxAmount total phase } } } }",
        id=subscription.order.public_id,
    )

    assert status == 200, body
    details = [
        row["snapshotAmountDetails"] for row in body["data"]["subscriptionOrder"]["payments"]
    ]
    assert {"subtotal": "1.00", "taxAmount": "0.19", "total": "1.19", "phase": "special"} in details
    assert {
        "subtotal": "20.00",
        "taxAmount": "3.80",
        "total": "23.80",
        "phase": "regular",
    } in details
