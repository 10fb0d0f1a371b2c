"""Template carts, shipping methods, secret keys and clients for the cart checkout API
(seed 002). Products come from ``tests.factories.ProductFactory`` (the real service)."""

import json
from dataclasses import dataclass

import factory
from django.test import Client

from checkout.models import ShippingMethod, TemplateCart, TemplateCartItem
from core.signing import sign
from stores.models import Environment, Merchant
from stores.secret_keys import secret_key_create
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import FreshStamps

US_ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "1 Main Street",
    "city": "Seattle",
    "country_code": "US",
    "province_code": "WA",
    "postal_code": "98101",
    "email": "Ada@Example.com ",
    "phone": "+1 206 555 0100",
}
DE_ADDRESS = {
    "first_name": "Grete",
    "last_name": "Weiss",
    "address1": "Hauptstraße 1",
    "city": "Berlin",
    "country_code": "DE",
    "postal_code": "10115",
}


class TemplateCartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateCart

    store = factory.SubFactory(StoreFactory)
    environment = Environment.TEST
    name = factory.Sequence(lambda n: f"Cart {n}")
    currency = "USD"


class TemplateCartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateCartItem

    cart = factory.SubFactory(TemplateCartFactory)
    product = factory.SubFactory(ProductFactory, store=factory.SelfAttribute("..cart.store"))
    position = factory.Sequence(lambda n: n)
    quantity = 1


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingMethod

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Courier {n}")
    prices = factory.LazyFunction(lambda: {"USD": 500, "EUR": 450})
    countries = factory.LazyFunction(list)
    free_above = factory.LazyFunction(dict)
    delivery_estimate = "3-5 business days"
    position = factory.Sequence(lambda n: n)


def make_cart(store, *items, currency: str = "USD", **fields) -> TemplateCart:
    """A template cart holding ``items`` = (product, quantity) pairs, in that order."""
    cart = TemplateCartFactory(store=store, currency=currency, **fields)
    for position, (product, quantity) in enumerate(items):
        TemplateCartItemFactory(cart=cart, product=product, quantity=quantity, position=position)
    return cart


def physical_product(store, **fields):
    return ProductFactory(store=store, requires_shipping=True, **fields)


def new_secret(merchant: Merchant, environment: str = Environment.TEST) -> str:
    return secret_key_create(merchant=merchant, environment=environment)[1]


@dataclass
class CartApi:
    """Calls the cart API as one merchant: signed API-key headers or a bearer secret."""

    merchant: Merchant
    secret: str | None = None
    private_pem: str = TEST_KEY_PAIR[0]
    client: Client | None = None

    def __post_init__(self):
        self.client = self.client or Client()
        self._stamps = FreshStamps()

    def headers(self, method: str, path: str, body: bytes, extra: dict | None = None) -> dict:
        if self.secret is not None:
            headers = {"Authorization": f"Bearer {self.secret}"}
        else:
            stamp, message = self._stamps.canonical(method, path, body)
            signature = sign(self.private_pem, message)
            headers = {
                "X-Merchant-Id": self.merchant.public_id,
                "X-Timestamp": stamp,
                "X-Signature": signature,
            }
        return {**headers, **(extra or {})}

    def get(self, path: str, query: dict | None = None, headers: dict | None = None):
        return self.client.get(path, query or {}, headers=self.headers("GET", path, b"", headers))

    def post(self, path: str, body: object = None, *, raw: bytes | None = None, headers=None):
        data = raw if raw is not None else json.dumps(body if body is not None else {}).encode()
        return self.client.generic(
            "POST",
            path,
            data,
            content_type="application/json",
            headers=self.headers("POST", path, data, headers),
        )


def merchant_with_store(**store_fields):
    """A merchant with a test API key, one store it owns, and a signed client."""
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    store = StoreFactory(owner=merchant, **store_fields)
    return merchant, store, CartApi(merchant)


def begin(api: CartApi, cart: TemplateCart) -> dict:
    response = api.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 200, response.content
    return response.json()
