"""Helpers for template-cart checkouts with shipping: a store selling a shippable and a
digital product, a shipping method, a template cart of both, and its live session.

Used by tests/shipping/ (Django test client) and
tests/test_browser_cart_checkout.py (Chromium). Everything goes through the real services.
"""

import re
from dataclasses import dataclass

from checkout.carts import cart_begin
from checkout.models import CheckoutSession, ShippingMethod, TemplateCart, TemplateCartItem
from stores.models import Environment, Store
from tests.browser_support import make_product, make_store

# Seed 002's buyer_info for an address in Washington state (6.5 % sales tax on these goods).
WA_ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "1 Main St",
    "address2": "Apt 4",
    "city": "Seattle",
    "country_code": "US",
    "province_code": "WA",
    "postal_code": "98101",
    "phone": "+1 206 555 0100",
    "email": "ada@example.com",
}


@dataclass
class CartShop:
    merchant: object
    store: Store
    shippable: object  # a product whose version requires shipping ($29.00)
    digital: object  # a product that does not ($15.00)
    standard: ShippingMethod
    cart: TemplateCart


def make_cart_shop(
    *,
    slug: str = "acme-tools",
    shippable_quantity: int = 2,
    digital_quantity: int = 1,
    success_url: str = "",
    method_countries: tuple[str, ...] = ("US",),
) -> CartShop:
    merchant, store = make_store(name="Acme Tools", slug=slug)
    shippable = make_product(
        store,
        name="Widget Pro",
        requires_shipping=True,
        prices={"USD": {"amount": "29.00", "taxCategory": "digital_goods"}},
    )
    digital = make_product(
        store,
        name="Setup Guide",
        prices={"USD": {"amount": "15.00", "taxCategory": "ebook"}},
    )
    standard = ShippingMethod.objects.create(
        store=store,
        name="Standard",
        prices={"USD": 500, "EUR": 450},
        countries=list(method_countries),
        free_above={"USD": 10000},
        delivery_estimate="3 to 5 business days",
        position=1,
    )
    cart = TemplateCart.objects.create(
        store=store,
        environment=Environment.TEST,
        name="Starter kit",
        currency="USD",
        success_url=success_url,
    )
    TemplateCartItem.objects.create(cart=cart, product=shippable, quantity=shippable_quantity)
    TemplateCartItem.objects.create(
        cart=cart, product=digital, quantity=digital_quantity, position=1
    )
    return CartShop(merchant, store, shippable, digital, standard, cart)


def begin(shop: CartShop) -> CheckoutSession:
    return cart_begin(cart=shop.cart)


def public_cart_path(cart: TemplateCart) -> str:
    return f"/c/{cart.public_id}"


def address_form(address: dict | None = None, **overrides) -> dict:
    """What the hosted address form posts for ``address`` (seed 002 field names)."""
    address = {**(address or WA_ADDRESS), **overrides}
    region_input = {"US": "ship_province_us", "CA": "ship_province_ca", "AU": "ship_province_au"}
    data = {
        f"ship_{name}": value
        for name, value in address.items()
        if name != "province_code" and value is not None
    }
    country = (address.get("country_code") or "").upper()
    if address.get("province_code") is not None:
        data[region_input.get(country, "ship_province")] = address["province_code"]
    return data


# --- browser -------------------------------------------------------------------------------


def open_cart_checkout(page, site: str, shop: CartShop) -> CheckoutSession:
    """Open the cart the way a buyer does, through the public link ``/c/<cart_id>`` (it
    redirects to a new session's hosted checkout), and return that session."""
    response = page.goto(site + public_cart_path(shop.cart))
    pattern = re.compile(r"/store/[^/]+/checkout/(cs_[0-9a-f-]+)$")
    page.wait_for_url(pattern)
    assert response.status == 200
    public_id = pattern.search(page.url).group(1)
    session = CheckoutSession.objects.get(pk=public_id.removeprefix("cs_"))
    assert session.template_cart_id == shop.cart.pk
    return session


def fill_address(page, address: dict | None = None) -> None:
    """Fill the hosted address form as a buyer would (country first: it picks the province
    input)."""
    address = {**WA_ADDRESS, **(address or {})}
    page.select_option("#ship_country_code", address["country_code"])
    region = {"US": "#ship_province_us", "CA": "#ship_province_ca", "AU": "#ship_province_au"}
    for name in ("first_name", "last_name", "address1", "address2", "city", "postal_code"):
        page.fill(f"#ship_{name}", address[name])
    page.fill("#ship_phone", address["phone"])
    page.fill("#ship_email", address["email"])
    selector = region.get(address["country_code"])
    if selector:
        page.select_option(selector, address["province_code"])
    else:
        page.fill("#ship_province", address["province_code"])
