"""A shop with one product and an open checkout session of it, for the hosted page tests."""

import pytest

from tests.browser_support import make_product, make_session, make_store


@pytest.fixture
def shop(db):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")
    return merchant, store, product


@pytest.fixture
def session(shop):
    merchant, _, product = shop
    return make_session(merchant=merchant, product=product)
