"""The product form's row editors in Chromium: a merchant prices a product in three
currencies and adds an image without typing JSON; "Add a row" and the image preview work,
and the page raises no Content-Security-Policy violation."""

import pytest

from catalog.models import Product
from tests.admin_factories import PASSWORD, AdminMerchantFactory
from tests.factories import StoreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMAGE = "https://cdn.example.com/shirt.png"


@pytest.fixture
def add_page(page, site):
    merchant = AdminMerchantFactory()
    store = StoreFactory(owner=merchant, name="Acme Tools")
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Email").fill(merchant.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/admin/")
    page.goto(f"{site}/admin/catalog/product/add/")
    return page, store


def price_row(page, index: int, currency: str, amount: str) -> None:
    page.select_option(f"[name='prices-{index}-currency']", currency)
    page.fill(f"[name='prices-{index}-amount']", amount)
    page.select_option(f"[name='prices-{index}-tax_category']", "physical_goods")


def test_three_currencies_and_an_image_without_json(add_page):
    page, store = add_page
    page.select_option("[name='store']", str(store.pk))
    page.select_option("[name='type']", "onetime")
    page.fill("[name='name']", "T-shirt")
    rows = page.locator("[data-rows-for='prices'] tbody tr")
    assert rows.count() == 3

    page.locator("[data-rows-for='prices'] .row-editor-add").click()
    assert rows.count() == 4
    assert page.input_value("[name='prices-rows']") == "4"
    price_row(page, 0, "USD", "29.00")
    price_row(page, 1, "EUR", "27.00")
    price_row(page, 3, "JPY", "4500")  # the added row
    page.select_option("[name='media-0-type']", "image")
    page.fill("[name='media-0-url']", IMAGE)
    preview = page.locator("[data-rows-for='media'] tbody tr").first.locator("img")
    # The preview follows the URL as it is typed (the image itself need not load here).
    assert preview.get_attribute("hidden") is None
    assert preview.get_attribute("src") == IMAGE

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").all_inner_texts() == []
    page.wait_for_url("**/admin/catalog/product/")

    version = Product.objects.get().test_version
    prices = dict(version.prices.values_list("currency", "amount_minor"))
    assert prices == {"EUR": 2700, "JPY": 4500, "USD": 2900}
    assert version.media == [{"type": "image", "url": IMAGE}]
