"""The order list at 1440 px in Chromium: every column, the last one included, is on the
screen next to the filter sidebar, and the page does not scroll sideways."""

import pytest

from tests.admin_factories import PASSWORD, AdminMerchantFactory
from tests.factories import ProductFactory, StoreFactory
from tests.order_factories import paid_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_order_list_fits_1440_px(page, site):
    merchant = AdminMerchantFactory()
    store = StoreFactory(owner=merchant, name="A store with a rather long name, Ltd.")
    paid_order(ProductFactory(store=store), email="a.very.long.buyer.address@example-company.com")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Email").fill(merchant.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/admin/")

    page.goto(f"{site}/admin/orders/order/")

    box = page.locator("#changelist .results").bounding_box()
    last = page.locator("#result_list thead th").last.bounding_box()
    assert last["x"] + last["width"] <= box["x"] + box["width"] + 1  # not clipped
    assert page.evaluate("document.querySelector('#changelist .results').scrollWidth") <= (
        box["width"] + 1
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    assert page.locator("#changelist-filter").is_visible()
