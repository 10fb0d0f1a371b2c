"""A cart shop with shippable and digital products and a checkout begun from its cart."""

import pytest

from tests.cart_browser_support import begin, make_cart_shop


@pytest.fixture
def shop(db):
    return make_cart_shop()


@pytest.fixture
def session(shop):
    return begin(shop)
