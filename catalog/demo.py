"""Demo data for ``make run``: safe to apply any number of times.

Everything is found by stable markers (the merchant's email, the store's slug, a
``demo`` metadata key on products) so a second run changes nothing.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from catalog import services as catalog_services
from catalog.models import Product, ProductType
from checkout.models import ShippingMethod, TemplateCart
from core import signing
from fx.services import rates_import
from partners import services as partner_services
from partners.models import Partner, PartnerGrant
from stores import services as store_services
from stores.models import ApiKey, Environment, Merchant, Store, StoreMembership, StoreRole

MERCHANT_EMAIL = "demo@example.com"
MERCHANT_PASSWORD = "demo-merchant-password"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "demo-admin-password"
STORE_SLUG = "demo-store"
PARTNER_CLIENT_ID = "demo-reseller"
PARTNER_CLIENT_SECRET = "demo-reseller-secret"  # known, like the demo passwords
PRODUCTS = {
    "ebook": {
        "product_type": ProductType.ONETIME,
        "name": "Demo E-Book: The Pancake Handbook",
        "description": "A one-time digital purchase priced in three currencies.",
        "prices": {
            "USD": {"amount": "29.00", "taxCategory": "ebook"},
            "EUR": {"amount": "27.00", "taxCategory": "ebook", "taxIncluded": True},
            "JPY": {"amount": "4500", "taxCategory": "ebook", "taxIncluded": True},
        },
    },
    "pro-plan": {
        "product_type": ProductType.SUBSCRIPTION,
        "name": "Demo Pro Plan",
        "description": "A monthly subscription.",
        "billing_period": "monthly",
        "prices": {
            "USD": {"amount": "9.99", "taxCategory": "saas"},
            "EUR": {"amount": "8.99", "taxCategory": "saas", "taxIncluded": True},
        },
    },
}


SHIPPABLE = {
    "product_type": ProductType.ONETIME,
    "name": "Demo T-Shirt",
    "description": "A physical good: checkout asks for a shipping address and a method.",
    "requires_shipping": True,
    "prices": {"USD": {"amount": "25.00", "taxCategory": "physical_goods"}},
}


# Sample reference rates in the ECB's format (not real ones), so the demo's ``rate`` answers.
DEMO_RATES = Path(__file__).resolve().parent.parent / "fx" / "demo" / "eurofxref-daily.xml"


@dataclass
class DemoData:
    merchant: Merchant
    store: Store
    products: dict[str, Product]
    private_key_path: Path
    cart: TemplateCart
    partner: Partner


def _merchant() -> Merchant:
    existing = Merchant.objects.filter(user__username=MERCHANT_EMAIL).first()
    if existing:
        # An older demo database gets the permissions of admin pages added since.
        store_services.merchant_group()
        return existing
    return store_services.merchant_create(email=MERCHANT_EMAIL, password=MERCHANT_PASSWORD)


def _platform_admin() -> None:
    user_model = get_user_model()
    if not user_model.objects.filter(username=ADMIN_EMAIL).exists():
        user_model.objects.create_superuser(ADMIN_EMAIL, ADMIN_EMAIL, ADMIN_PASSWORD)


def _test_key(merchant: Merchant, key_dir: Path) -> Path:
    """Reuse the key on disk when it is still registered; otherwise make a new pair."""
    path = key_dir / "demo-merchant-test-private-key.pem"
    if path.exists():
        try:
            public_pem = signing.public_key_of(path.read_text())
        except ValueError:
            public_pem = None
        if (
            public_pem
            and ApiKey.objects.usable()
            .filter(merchant=merchant, fingerprint=signing.fingerprint(public_pem))
            .exists()
        ):
            return path
    _, private_pem = store_services.api_key_generate(
        merchant=merchant, environment=Environment.TEST, name="demo"
    )
    key_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(private_pem)
    return path


def _store(merchant: Merchant) -> Store:
    store, _ = Store.objects.get_or_create(slug=STORE_SLUG, defaults={"name": "Demo Store"})
    StoreMembership.objects.get_or_create(
        store=store, merchant=merchant, defaults={"role": StoreRole.OWNER}
    )
    return store


def _product(store: Store, marker: str, spec: dict) -> Product:
    existing = Product.objects.filter(store=store, test_version__metadata__demo=marker).first()
    if existing:
        return existing
    return catalog_services.product_create(store=store, metadata={"demo": marker}, **spec)


def seed_demo(*, key_dir: Path) -> DemoData:
    with transaction.atomic():
        merchant = _merchant()
        _platform_admin()
        store = _store(merchant)
        products = {marker: _product(store, marker, spec) for marker, spec in PRODUCTS.items()}
        products["t-shirt"] = _product(store, "t-shirt", SHIPPABLE)
        cart = _cart(store, products)
        partner = _partner(store)
        rates_import(source=str(DEMO_RATES))  # replaces its own date: idempotent
    return DemoData(
        merchant=merchant,
        store=store,
        products=products,
        private_key_path=_test_key(merchant, key_dir),
        cart=cart,
        partner=partner,
    )


def _partner(store: Store) -> Partner:
    """A reseller allowed to sell the demo store, with credentials the README can show."""
    partner = Partner.objects.filter(application__client_id=PARTNER_CLIENT_ID).first()
    if partner is None:
        partner, _ = partner_services.partner_create(
            name="Demo Reseller", environment=Environment.TEST
        )
        application = partner.application
        application.client_id = PARTNER_CLIENT_ID
        application.client_secret = PARTNER_CLIENT_SECRET  # hashed when saved
        application.save(update_fields=["client_id", "client_secret"])
    PartnerGrant.objects.get_or_create(partner=partner, store=store)
    return partner


def _cart(store: Store, products: dict[str, Product]) -> TemplateCart:
    """A bundle to show as a QR code, with the shipping methods it needs."""
    ShippingMethod.objects.get_or_create(
        store=store,
        name="Standard",
        defaults={
            "prices": {"USD": 500},
            "free_above": {"USD": 10000},
            "delivery_estimate": "3-5 business days",
        },
    )
    ShippingMethod.objects.get_or_create(
        store=store,
        name="Express",
        defaults={"prices": {"USD": 1500}, "delivery_estimate": "1-2 business days"},
    )
    cart, created = TemplateCart.objects.get_or_create(
        store=store,
        name="Demo merch bundle",
        defaults={"environment": "test", "currency": "USD"},
    )
    if created:
        cart.items.create(product=products["t-shirt"], quantity=2, position=0)
        cart.items.create(product=products["ebook"], quantity=1, position=1)
    return cart
