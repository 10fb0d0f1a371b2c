"""Who may ask for a plan change, and the requests refused before anything is written."""

import json

import pytest
from django.test import Client

from subscriptions.models import PlanChange
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory
from tests.keys import OTHER_KEY_PAIR
from tests.plan_change_support import (
    SESSION,
    change_body,
    change_of,
    customer_post,
    group,
)
from tests.signed_client import SignedClient
from tests.subscription_support import BUYER, subscribe

pytestmark = pytest.mark.django_db


def refusal(response) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"changeAmount": "1.00", "changeCreditAmount": "1.00"},
            "changeAmount and changeCreditAmount are mutually exclusive: send one",
        ),
        ({"currency": "EUR"}, "Currency EUR does not match the subscription's currency (USD)"),
        (
            {"changeTiming": "tomorrow"},
            'Invalid changeTiming: expected "immediate" or "next_period"',
        ),
        ({"changeAmount": "1.001"}, 'Invalid changeAmount: "1.001" is not a valid USD amount'),
        (
            {"changeTiming": "next_period", "changeCreditAmount": "5.00"},
            'changeAmount and changeCreditAmount price a change made now: send changeTiming "immediate"'
            " or leave it out",
        ),
        ({"originOrderId": "ORD_bad"}, None),
        ({"productId": None}, "Missing required fields: productId, currency"),
    ],
)
def test_bad_requests_are_400_and_write_nothing(api, basic, pro, fields, message):
    subscription = subscribe(basic)

    response = api.post(SESSION, change_body(subscription, pro) | fields)

    assert response.status_code == 400
    if message is not None:
        assert refusal(response) == (400, message)
    assert not PlanChange.objects.exists()


def test_the_target_must_be_another_subscription_plan_of_the_store(api, store, basic):
    subscription = subscribe(basic)
    onetime = ProductFactory(store=store)

    assert refusal(api.post(SESSION, change_body(subscription, basic))) == (
        400,
        "Target plan is the current plan",
    )
    assert refusal(api.post(SESSION, change_body(subscription, onetime))) == (
        400,
        "Target plan must be a subscription product",
    )
    assert not PlanChange.objects.exists()


def test_store_slug_credentials_are_403(basic, pro, store):
    subscription = subscribe(basic)

    response = Client().post(
        SESSION,
        json.dumps(change_body(subscription, pro)),
        content_type="application/json",
        headers={"X-Store-Slug": store.slug, "X-Environment": "test"},
    )

    assert response.status_code == 403
    assert not PlanChange.objects.exists()


def test_another_merchants_order_is_404(basic, pro):
    subscription = subscribe(basic)
    stranger = MerchantFactory()
    ApiKeyFactory(merchant=stranger, public_key=OTHER_KEY_PAIR[1])
    other = SignedClient(stranger.public_id, OTHER_KEY_PAIR[0])

    response = other.post(SESSION, change_body(subscription, pro))

    assert refusal(response) == (404, "Order not found")


def test_a_merchant_may_move_a_subscription_outside_any_group(api, basic, pro):
    subscription = subscribe(basic)

    assert api.post(SESSION, change_body(subscription, pro)).status_code == 200


def test_the_customer_path_answers_the_three_403s_word_for_word(store, basic, pro):
    subscription = subscribe(basic)
    body = change_body(subscription, pro)

    not_theirs = customer_post(store, "someone-else", body)
    no_group = customer_post(store, BUYER, body)
    closed = group(store, basic, pro, self_service=False)
    switch_off = customer_post(store, BUYER, body)
    closed.self_service_plan_change = True
    closed.save()
    allowed = customer_post(store, BUYER, body)

    assert refusal(not_theirs) == (403, "Subscription order does not belong to this credential")
    assert refusal(no_group) == (
        403,
        "Target plan is not in the same product group as the current plan",
    )
    assert refusal(switch_off) == (
        403,
        "Self-service plan change is not enabled for this product group",
    )
    assert change_of(allowed).timing == "immediate"


def test_the_customer_path_drops_merchant_only_fields(store, basic, pro):
    subscription = subscribe(basic)
    group(store, basic, pro)
    body = change_body(subscription, pro, changeAmount="0.01", changeCreditAmount="1.00")

    change = change_of(customer_post(store, BUYER, body))

    assert change.due_now_minor > 1  # prorated, not the dropped 0.01


def test_a_group_of_the_other_environment_does_not_count(store, basic, pro):
    subscription = subscribe(basic)
    group(store, basic, pro, environment="prod")

    response = customer_post(store, BUYER, change_body(subscription, pro))

    assert refusal(response) == (
        403,
        "Target plan is not in the same product group as the current plan",
    )


def test_a_customer_token_still_cannot_start_a_new_purchase(store, basic):
    response = customer_post(store, BUYER, {"productId": basic.public_id, "currency": "USD"})

    assert response.status_code == 401
