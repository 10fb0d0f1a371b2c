"""Asking ``POST /v1/graphql`` from tests, and orders paid the way the hosted page pays."""

import json

from django.test import Client

from core.tokens import issue_customer_token
from payments.services import checkout_pay
from tests.checkout_factories import billing, make_session, success_card

GRAPHQL = "/v1/graphql"


def gql(api, query: str, **variables) -> tuple[int, dict]:
    """A signed query (``api`` is a ``SignedClient``) → (status, body)."""
    response = api.post(GRAPHQL, {"query": query, "variables": variables})
    return response.status_code, response.json()


def customer_gql(
    store, buyer_identity: str, query: str, environment: str = "test"
) -> tuple[int, dict]:
    token, _ = issue_customer_token(buyer_identity=buyer_identity, store_id=str(store.pk))
    response = Client().post(
        GRAPHQL,
        json.dumps({"query": query}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "X-Environment": environment},
    )
    return response.status_code, response.json()


def paid_order(product, *, email: str = "buyer@example.com", identity: str = "", **session):
    """A session for ``product`` paid with the success card: its order and payment."""
    checkout = make_session(product=product, **session)
    outcome = checkout_pay(
        session=checkout,
        billing=billing("DE"),
        card=success_card(),
        buyer_email=email,
        buyer_identity=identity,
    )
    return outcome.order
