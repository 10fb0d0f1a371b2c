"""What the schemathesis run needs in its database: one merchant with a signed key and a
secret key, a store with published products (one-time, subscription, physical with a
shipping method), a template cart and a live checkout begun from it, open sessions, and a
partner with a grant and a basket.

``seed()`` runs in the test process on PostgreSQL (the live server shares the test
database); on SQLite the live server needs a database file of its own, so ``python -m
tests.fuzz_seed`` migrates that file and seeds it, printing the same JSON.
"""

import json
import os
import sys


def seed() -> dict:
    from catalog.models import ProductType
    from checkout.carts import cart_begin
    from stores.secret_keys import secret_key_create
    from tests.cart_factories import ShippingMethodFactory, make_cart, physical_product
    from tests.checkout_factories import make_session
    from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
    from tests.keys import TEST_KEY_PAIR
    from tests.partner_factories import PartnerGrantFactory, landing_cookie, make_basket

    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    store = StoreFactory(owner=merchant)
    onetime = ProductFactory(store=store, publish=True)
    subscription = ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION, publish=True)
    physical = physical_product(store, publish=True)
    ShippingMethodFactory(store=store)
    cart = make_cart(store, (physical, 1), (onetime, 2))
    live = cart_begin(cart=cart)
    sessions = [make_session(product=onetime), make_session(product=subscription)]
    grant = PartnerGrantFactory(store=store, products=[onetime, physical])
    basket = make_basket(grant.partner, onetime)
    return {
        "merchant_id": merchant.public_id,
        "private_pem": TEST_KEY_PAIR[0],
        "secret_key": secret_key_create(merchant=merchant, environment="test")[1],
        "store_id": store.public_id,
        "store_slug": store.slug,
        "product_ids": [onetime.public_id, subscription.public_id, physical.public_id],
        "session_ids": [session.public_id for session in sessions],
        "cart_id": cart.public_id,
        "live_session_id": live.public_id,
        "client_id": grant.partner.client_id,
        "client_secret": grant.partner.client_secret,
        "basket_id": basket.public_id,
        "landing_cookie": landing_cookie(basket),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    sys.stdout.write(json.dumps(seed()))


if __name__ == "__main__":
    main()
