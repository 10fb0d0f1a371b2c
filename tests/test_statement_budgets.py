"""SQL statement budgets of the hot paths (issue 18; bench/ measures their speed).

Each budget is the path's whole request, credentials included, counted the way PostgreSQL
sees it in production: real transactions (no test savepoints), commit hooks run, the API
key's ``last_used_at`` fresh (written at most once a minute) and the rate-limit window open.
"""

import json

import pytest
from django.db import connection

from tests.browser_support import (
    checkout_path,
    make_product,
    make_session,
    make_store,
)
from tests.hosted_support import form as pay_form

# Counted with the shared state in Redis (``redis_stores``): without it, the rate-limit
# counters and the seen signatures are rows too (one or two statements each, the README says).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_stores")]
CREATE_SESSION = "/v1/actions/checkout/create-session"
# Paying: the session read for the URL; claim (session lock, then its order read: a join
# into the locking statement would not see an order another payer committed meanwhile;
# order, line and payment written); the test processor's ledger (one insert: a real
# processor is an HTTP call instead); record (the session completed, which write is its
# lock; the payment resolved by one conditional update, which a twin that recorded first
# makes a no-op; the order completed; its invoice written with the number taken in the
# same statement (issue 19: gapless, in the order's transaction); the three domain events
# in one insert, which is all the worker needs to find them).
PAY_BUDGET = 12
# SQLite has no data-modifying WITH: it takes the invoice's number in a statement of its own.
NUMBER_APART_ON_SQLITE = 1
# django_assert_max_num_queries also counts a transaction's BEGIN and COMMIT; the budgets
# above count statements, as the bench does, and add these on top.
BEGIN_COMMIT = 2


@pytest.fixture
def shop(db):
    merchant, store = make_store(name="Budget Shop", slug="budget-shop")
    return merchant, store, make_product(store, name="Budget Widget")


def test_create_session_costs_at_most_three_statements(api, product, django_assert_max_num_queries):
    body = {"productId": product.public_id, "currency": "USD"}
    api.post(CREATE_SESSION, body)  # marks the key used: later calls within a minute do not

    # The key (with its merchant), the price with its version and product, the session.
    with django_assert_max_num_queries(3):
        response = api.post(CREATE_SESSION, body)

    assert response.status_code == 200


@pytest.mark.parametrize("named", ["storeId", "productId"])
def test_issue_session_token_costs_at_most_two_statements(
    api, product, named, django_assert_max_num_queries
):
    target = product.store.public_id if named == "storeId" else product.public_id
    body = {named: target, "buyerIdentity": "buyer@example.com"}
    api.post("/v1/actions/auth/issue-session-token", body)  # marks the key used

    # The key (cached in production), the store or product with "is the caller a member".
    with django_assert_max_num_queries(2):
        response = api.post("/v1/actions/auth/issue-session-token", body)

    assert response.status_code == 200, response.content


def test_hosted_checkout_page_costs_at_most_two_statements(
    client, shop, django_assert_max_num_queries
):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)

    # The session with its store; whether a payment of it is under way.
    with django_assert_max_num_queries(2):
        response = client.get(checkout_path(session))

    assert response.status_code == 200


def test_preview_tax_with_a_store_slug_costs_at_most_three_statements(
    client, shop, django_assert_max_num_queries
):
    merchant, store, product = shop
    session = make_session(merchant=merchant, product=product)
    body = {
        "checkoutSessionId": session.public_id,
        "billingDetail": {"country": "FR", "isBusiness": False},
    }

    def preview():
        return client.post(
            "/v1/actions/checkout/preview-tax",
            json.dumps(body),
            content_type="application/json",
            headers={"X-Store-Slug": store.slug, "X-Environment": "test"},
        )

    preview()  # opens this minute's rate-limit window
    # The per-address rate limit (count, read back), the session.
    with django_assert_max_num_queries(3 + BEGIN_COMMIT):
        response = preview()

    assert response.status_code == 200, response.content


def test_paying_on_the_hosted_page_stays_within_its_budget(
    client, shop, django_assert_max_num_queries
):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    form = pay_form()

    budget = PAY_BUDGET + (0 if connection.vendor == "postgresql" else NUMBER_APART_ON_SQLITE)
    # Three transactions: claim, the ledger's charge, record.
    with django_assert_max_num_queries(budget + 3 * BEGIN_COMMIT):
        response = client.post(checkout_path(session) + "/pay", form)

    assert response.status_code == 303
