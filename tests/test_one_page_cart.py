"""The cart's shipping step proposes the cheapest method (issue 19, point 4): listed first or
not, its radio is checked once the address is saved, and the buyer's own choice wins after.
Preselected: the session ships with it at once (the totals and Pay count it); the buyer may
change it."""

import re

import pytest

from checkout.models import ShippingMethod
from tests.cart_browser_support import begin, make_cart_shop
from tests.shipping_support import html_of, post_address, post_method

pytestmark = pytest.mark.django_db


def checked_method(html: str) -> str:
    found = re.findall(r'id="ship-method-(\d+)" value="\d+" checked', html)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def shop(db):
    shop = make_cart_shop()
    express = ShippingMethod.objects.create(
        store=shop.store, name="Express", prices={"USD": 1500}, countries=["US"], position=0
    )
    return shop, express


def test_cheapest_method_is_preselected(client, shop):
    shop, _express = shop
    session = begin(shop)

    html = html_of(post_address(client, session))

    assert checked_method(html) == str(shop.standard.pk)  # $5 over Express $15, listed first
    session.refresh_from_db()
    assert session.shipping_method["id"] == shop.standard.pk


def test_the_buyers_choice_stays_checked(client, shop):
    shop, express = shop
    session = begin(shop)
    post_address(client, session)

    html = html_of(post_method(client, session, express.pk))

    assert checked_method(html) == str(express.pk)
