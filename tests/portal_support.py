"""The customer portal in tests: its URLs, and signing a visitor in as the merchant's server
would send them (a customer session token and the environment in the portal link)."""

from urllib.parse import urlencode

from core import tokens
from tests.subscription_support import BUYER


def portal_url(store, suffix: str = "") -> str:
    return f"/store/{store.slug}/portal{suffix}"


def order_url(order, suffix: str = "") -> str:
    return portal_url(order.store, f"/orders/{order.public_id}{suffix}")


def token_for(store, identity: str = BUYER) -> str:
    return tokens.issue_customer_token(buyer_identity=identity, store_id=str(store.pk))[0]


def entry_url(store, *, identity: str = BUYER, environment: str = "test") -> str:
    query = urlencode({"token": token_for(store, identity), "environment": environment})
    return f"{portal_url(store)}?{query}"


def sign_in(client, store, *, identity: str = BUYER, environment: str = "test"):
    response = client.get(entry_url(store, identity=identity, environment=environment))
    assert response.status_code == 200, response.content[:500]
    assert "portal_session" in response.cookies
    return response
