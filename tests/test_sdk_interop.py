"""The official TypeScript SDK (``@waffo/pancake-ts``, pinned in tests/sdk) against a live server.

Each test prepares data with factory-boy, runs one script from tests/sdk with node (the SDK
only gets ``baseUrl`` = the live server), and checks both what the SDK returned and what the
database now holds. The scripts print one JSON object; refusals arrive as
``{status, errors, message}`` taken from the ``WaffoPancakeError`` the SDK threw.
"""

import re
import uuid
from pathlib import Path

import pytest

from catalog.models import Product, ProductType, VersionStatus
from core.idempotency import REUSED
from core.models import IdempotencyRecord
from stores.models import Environment, Store, StoreMembership, StoreRole
from stores.settings_schema import DEFAULT_THEMES
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.keys import OTHER_KEY_PAIR

pytestmark = pytest.mark.sdk

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
# The fields of the SDK's ``Store`` and ``OnetimeProductDetail`` interfaces (dist/index.d.ts);
# ``SubscriptionProductDetail`` adds ``billingPeriod``.
STORE_FIELDS = {
    "id",
    "name",
    "status",
    "logo",
    "supportEmail",
    "website",
    "slug",
    "prodEnabled",
    "notificationSettings",
    "checkoutSettings",
    "deletedAt",
    "createdAt",
    "updatedAt",
}
PRODUCT_FIELDS = {
    "id",
    "storeId",
    "name",
    "description",
    "prices",
    "media",
    "successUrl",
    "metadata",
    "status",
    "createdAt",
    "updatedAt",
}


def error(status: int, message: str, layer: str) -> dict:
    """What ``caught()`` in tests/sdk/lib.mjs reports for a ``WaffoPancakeError``."""
    return {"status": status, "errors": [{"message": message, "layer": layer}], "message": message}


def write_key(path: Path, private_pem: str) -> str:
    path.write_text(private_pem)
    return str(path)


def prices_minor(version) -> dict:
    return {
        price.currency: (price.amount_minor, price.tax_included, price.trial_amount_minor)
        for price in version.prices.all()
    }


@pytest.fixture
def store(live_merchant):
    return StoreFactory(owner=live_merchant)


def test_stores_create_update_delete(live_sdk, live_merchant):
    out = live_sdk("stores.mjs")

    created = out["created"]["store"]
    assert "warnings" not in out["created"]
    assert set(created) == STORE_FIELDS
    assert created["id"].startswith("STO_")
    assert created["name"] == "Acme Books"
    assert re.fullmatch(r"acme-books-[a-z0-9]{6}", created["slug"])
    assert created["status"] == "active"
    assert created["prodEnabled"] is False
    assert created["deletedAt"] is None
    assert ISO_UTC.fullmatch(created["createdAt"])

    themed = out["themed"]["store"]
    assert "warnings" not in out["themed"]
    assert themed["name"] == "Acme Books & Co"
    assert themed["slug"] == created["slug"]
    assert themed["checkoutSettings"]["light"]["checkoutColorPrimary"] == "#ff0000"

    assert out["merged"]["store"]["checkoutSettings"] == {
        "defaultDarkMode": True,
        "light": {
            **DEFAULT_THEMES["light"],
            "checkoutColorPrimary": "#ff0000",
            "checkoutBorderRadius": "12px",
        },
        "dark": DEFAULT_THEMES["dark"],
    }

    notifications = out["notifications"]
    # Each warning is the SDK's Notice shape: message, layer and an aiHint for the fix.
    warnings = notifications["warnings"]
    assert [(w["message"], w["layer"]) for w in warnings] == [
        (
            "notificationSettings.emailOrderConfirmation is managed by the platform "
            "and was ignored",
            "store",
        ),
        ("supportEmail is not writable here and was ignored", "store"),
    ]
    assert all(w["aiHint"] for w in warnings)
    assert notifications["store"]["supportEmail"] is None
    settings = notifications["store"]["notificationSettings"]
    assert (settings["notifyNewOrders"], settings["emailTrialEnding"]) == (False, False)
    assert settings["emailOrderConfirmation"] is True
    assert settings["notifySubscriptionCanceled"] is True

    assert out["deleted"]["store"]["id"] == created["id"]
    assert ISO_UTC.fullmatch(out["deleted"]["store"]["deletedAt"])
    assert out["updateAfterDelete"] == error(404, "Store not found", "store")

    store = Store.objects.get()  # soft delete: the row is still there
    assert store.public_id == created["id"]
    assert store.name == "Acme Books & Co"
    assert store.slug == created["slug"]
    assert store.deleted_at is not None
    assert store.support_email == ""
    assert not Store.objects.alive().exists()
    assert store.checkout_settings == {
        "defaultDarkMode": True,
        "light": {"checkoutColorPrimary": "#ff0000", "checkoutBorderRadius": "12px"},
    }
    assert store.notification_settings == {"notifyNewOrders": False, "emailTrialEnding": False}
    membership = StoreMembership.objects.get(store=store)
    assert (membership.merchant, membership.role) == (live_merchant, StoreRole.OWNER)


def test_onetime_products_create_update_publish_update_status(
    live_sdk, live_merchant, store, tmp_path
):
    ApiKeyFactory(
        merchant=live_merchant, environment=Environment.PROD, public_key=OTHER_KEY_PAIR[1]
    )
    prod_key = write_key(tmp_path / "prod.pem", OTHER_KEY_PAIR[0])

    out = live_sdk("onetime.mjs", STORE_ID=store.public_id, PROD_KEY_FILE=prod_key)

    created = out["created"]["product"]
    assert set(created) == PRODUCT_FIELDS
    assert created["id"].startswith("PROD_")
    assert created["storeId"] == store.public_id
    assert created["name"] == "E-Book"
    assert created["description"] == "Complete guide"
    assert created["metadata"] == {"sku": "ebook-001"}
    assert created["successUrl"] == "https://example.com/thanks"
    assert created["media"] == [
        {"type": "image", "url": "https://example.com/cover.jpg", "alt": "Cover"}
    ]
    assert created["prices"] == {
        "EUR": {"amount": "27.00", "taxCategory": "digital_goods", "taxIncluded": True},
        "JPY": {"amount": "4500", "taxCategory": "digital_goods", "taxIncluded": False},
        "USD": {"amount": "29.00", "taxCategory": "digital_goods", "taxIncluded": False},
    }
    assert created["status"] == "active"
    assert "billingPeriod" not in created

    updated = out["updated"]["product"]
    assert updated["id"] == created["id"]
    assert updated["name"] == "E-Book, 2nd edition"
    assert updated["description"] == "Complete guide"  # omitted fields are kept
    assert updated["prices"] == {  # prices replace the whole map
        "JPY": {"amount": "5800", "taxCategory": "digital_goods", "taxIncluded": False},
        "USD": {"amount": "39.00", "taxCategory": "digital_goods", "taxIncluded": False},
    }
    assert out["unchanged"] == out["updated"]
    assert out["published"]["product"]["name"] == "E-Book, 2nd edition"
    assert out["published"]["product"]["status"] == "active"
    assert out["editedAfterPublish"]["product"]["description"] == "Revised guide"
    assert out["deactivated"]["product"]["status"] == "inactive"
    prod_view = out["prodView"]["product"]  # what prod sells: v2, active
    assert (prod_view["name"], prod_view["description"]) == (
        "E-Book, 2nd edition",
        "Complete guide",
    )
    assert prod_view["status"] == "active"
    assert prod_view["prices"] == updated["prices"]

    product = Product.objects.get()
    assert product.public_id == created["id"]
    assert product.type == ProductType.ONETIME
    # create → v1, update → v2, the unchanged update → nothing, edit after publish → v3
    assert product.version_count == 3
    v3, v2, v1 = product.versions.all()
    assert [v1.number, v2.number, v3.number] == [1, 2, 3]
    assert prices_minor(v1) == {
        "EUR": (2700, True, None),
        "JPY": (4500, False, None),
        "USD": (2900, False, None),
    }
    assert (v1.name, v2.name) == ("E-Book", "E-Book, 2nd edition")
    assert prices_minor(v2) == {"JPY": (5800, False, None), "USD": (3900, False, None)}
    assert v3.description == "Revised guide"
    assert product.prod_version == v2  # publish moved the prod pointer, the later edit did not
    assert product.test_version == v3
    assert (product.test_status, product.prod_status) == (
        VersionStatus.INACTIVE,
        VersionStatus.ACTIVE,
    )


def test_subscription_products_create_update_publish_update_status(live_sdk, store):
    out = live_sdk("subscription.mjs", STORE_ID=store.public_id)

    created = out["created"]["product"]
    assert set(created) == PRODUCT_FIELDS | {"billingPeriod"}
    assert created["storeId"] == store.public_id
    assert created["billingPeriod"] == "monthly"
    assert created["metadata"] == {"trialDays": 7}
    assert created["prices"] == {
        "EUR": {"amount": "9.00", "taxCategory": "saas", "taxIncluded": True},
        "USD": {
            "amount": "9.99",
            "taxCategory": "saas",
            "taxIncluded": False,
            "trialAmount": "1.00",
        },
    }
    updated = out["updated"]["product"]
    assert (updated["name"], updated["billingPeriod"]) == ("Pro Plan (yearly)", "yearly")
    assert updated["prices"] == {
        "USD": {"amount": "99.00", "taxCategory": "saas", "taxIncluded": False}
    }
    assert out["published"]["product"]["billingPeriod"] == "yearly"
    assert out["deactivated"]["product"]["status"] == "inactive"
    assert out["reactivated"]["product"]["status"] == "active"

    product = Product.objects.get()
    assert product.public_id == created["id"]
    assert product.type == ProductType.SUBSCRIPTION
    assert product.version_count == 2
    v2, v1 = product.versions.all()
    assert (v1.billing_period, v2.billing_period) == ("monthly", "yearly")
    assert prices_minor(v1) == {"EUR": (900, True, None), "USD": (999, False, 100)}
    assert prices_minor(v2) == {"USD": (9900, False, None)}
    assert product.prod_version == v2
    assert product.test_version == v2
    assert (product.test_status, product.prod_status) == (
        VersionStatus.ACTIVE,
        VersionStatus.ACTIVE,
    )


def test_server_errors_surface_as_waffo_pancake_error(live_sdk, store, tmp_path):
    own_product = ProductFactory(store=store)
    other_store = StoreFactory(owner=MerchantFactory(), name="Not yours")
    foreign_product = ProductFactory(store=other_store, name="Their product")
    unregistered_key = write_key(tmp_path / "unregistered.pem", OTHER_KEY_PAIR[0])

    out = live_sdk(
        "errors.mjs",
        STORE_ID=store.public_id,
        OWN_PRODUCT_ID=own_product.public_id,
        FOREIGN_PRODUCT_ID=foreign_product.public_id,
        FOREIGN_STORE_ID=other_store.public_id,
        UNREGISTERED_KEY_FILE=unregistered_key,
    )

    assert out["badAmount"] == error(
        400,
        'Invalid prices.USD.amount: "29.001" is not a valid USD amount '
        "(a non-negative number with at most 2 decimal places)",
        "product",
    )
    assert out["foreignUpdate"] == error(404, "Product not found", "product")
    assert out["foreignPublish"] == error(404, "Product not found", "product")
    assert out["wrongType"] == error(404, "Product not found", "product")
    assert out["foreignStore"] == error(404, "Store not found", "store")
    assert out["wrongKey"] == error(401, "Unauthorized", "gateway")

    assert list(Product.objects.filter(store=store)) == [own_product]
    own_product.refresh_from_db()
    assert (own_product.version_count, own_product.test_status) == (1, VersionStatus.ACTIVE)
    foreign_product.refresh_from_db()
    assert foreign_product.version_count == 1
    assert foreign_product.test_version.name == "Their product"
    assert foreign_product.prod_version is None
    other_store.refresh_from_db()
    assert other_store.name == "Not yours"
    assert Store.objects.count() == 2  # the unregistered key created nothing


def test_idempotency_key_replays_the_first_response(live_sdk, live_merchant):
    key = f"sdk-interop-{uuid.uuid4().hex}"

    out = live_sdk("idempotency.mjs", IDEMPOTENCY_KEY=key)

    first = out["first"]["store"]
    assert first["name"] == "Replay Store"
    assert out["replayed"] == out["first"]
    assert out["reused"] == error(422, REUSED, "gateway")
    assert out["unkeyed"]["store"]["id"] != first["id"]

    replay_stores = Store.objects.filter(name="Replay Store", memberships__merchant=live_merchant)
    assert sorted(store.public_id for store in replay_stores) == sorted(
        [first["id"], out["unkeyed"]["store"]["id"]]
    )
    assert not Store.objects.filter(name="Other Store").exists()
    record = IdempotencyRecord.objects.get()
    assert (record.key, record.state, record.response_status) == (
        key,
        IdempotencyRecord.State.COMPLETED,
        200,
    )
    assert record.response_body["data"]["store"]["id"] == first["id"]
