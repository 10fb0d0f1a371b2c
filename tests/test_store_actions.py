import pytest

from stores.models import Store, StoreMembership, StoreRole
from tests.factories import MerchantFactory, StoreFactory

CREATE = "/v1/actions/store/create-store"
UPDATE = "/v1/actions/store/update-store"
DELETE = "/v1/actions/store/delete-store"


def test_create_store_trims_name_and_derives_a_slug(api, merchant):
    response = api.post(CREATE, {"name": "  My Store  "})

    assert response.status_code == 200
    store = response.json()["data"]["store"]
    assert store["name"] == "My Store"
    assert store["slug"].startswith("my-store-")
    assert store["id"].startswith("STO_") and len(store["id"]) == 26
    assert store["status"] == "active"
    assert store["prodEnabled"] is False
    assert store["deletedAt"] is None
    assert store["createdAt"].endswith("Z") and len(store["createdAt"]) == 24
    assert set(store["checkoutSettings"]) == {"defaultDarkMode", "light", "dark"}
    assert len(store["notificationSettings"]) == 21
    membership = StoreMembership.objects.get()
    assert (membership.merchant, membership.role) == (merchant, StoreRole.OWNER)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (None, "Missing required field: name"),
        ("   ", "Store name must be between 1 and 48 characters"),
        ("x" * 49, "Store name must be between 1 and 48 characters"),
        (12, "Invalid name: expected a string"),
    ],
)
def test_create_store_refuses_bad_names_and_writes_nothing(api, name, message):
    response = api.post(CREATE, {} if name is None else {"name": name})

    assert response.status_code == 400
    assert response.json() == {"data": None, "errors": [{"message": message, "layer": "store"}]}
    assert not Store.objects.exists()


def test_two_stores_with_one_name_get_distinct_slugs(api):
    first = api.post(CREATE, {"name": "Twin"}).json()["data"]["store"]["slug"]
    second = api.post(CREATE, {"name": "Twin"}).json()["data"]["store"]["slug"]
    assert first != second


def test_update_store_merges_checkout_settings_partially(api, store):
    response = api.post(
        UPDATE,
        {
            "id": store.public_id,
            "name": "Renamed",
            "checkoutSettings": {
                "defaultDarkMode": True,
                "light": {"checkoutColorPrimary": "#000000"},
            },
        },
    )
    assert response.status_code == 200
    settings = response.json()["data"]["store"]["checkoutSettings"]
    assert settings["defaultDarkMode"] is True
    assert settings["light"]["checkoutColorPrimary"] == "#000000"
    assert settings["light"]["checkoutBorderRadius"] == "8px"

    response = api.post(
        UPDATE, {"id": store.public_id, "checkoutSettings": {"dark": {"checkoutColorText": "#eee"}}}
    )
    settings = response.json()["data"]["store"]["checkoutSettings"]
    assert settings["light"]["checkoutColorPrimary"] == "#000000"
    assert settings["dark"]["checkoutColorText"] == "#eee"
    store.refresh_from_db()
    assert store.name == "Renamed"


def test_update_store_null_settings_reset_to_defaults(api, store):
    api.post(UPDATE, {"id": store.public_id, "checkoutSettings": {"defaultDarkMode": True}})
    response = api.post(UPDATE, {"id": store.public_id, "checkoutSettings": None})
    assert response.json()["data"]["store"]["checkoutSettings"]["defaultDarkMode"] is False


@pytest.mark.parametrize(
    "settings",
    [
        {"light": {"checkoutColorPrimary": "red; background: url(x)"}},
        {"light": {"checkoutBorderRadius": "8px;}"}},
        {"dark": {"checkoutLogo": "javascript:alert(1)"}},
        {"light": {"unknown": "#fff"}},
        {"defaultDarkMode": "yes"},
    ],
)
def test_update_store_refuses_theme_values_that_could_escape_css(api, store, settings):
    response = api.post(UPDATE, {"id": store.public_id, "checkoutSettings": settings})
    assert response.status_code == 400
    store.refresh_from_db()
    assert store.checkout_settings is None


def test_update_store_notification_settings_drop_platform_keys_with_a_warning(api, store):
    response = api.post(
        UPDATE,
        {
            "id": store.public_id,
            "notificationSettings": {"notifyNewOrders": False, "emailOrderConfirmation": False},
        },
    )
    body = response.json()
    assert body["data"]["store"]["notificationSettings"]["notifyNewOrders"] is False
    assert body["data"]["store"]["notificationSettings"]["emailOrderConfirmation"] is True
    assert body["warnings"][0]["layer"] == "store"
    assert "emailOrderConfirmation" in body["warnings"][0]["message"]


def test_update_store_status_cannot_be_set_to_suspended(api, store):
    response = api.post(UPDATE, {"id": store.public_id, "status": "suspended"})
    assert response.status_code == 400


def test_member_cannot_update_store_settings(api, merchant):
    store = StoreFactory()
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole.MEMBER)
    response = api.post(UPDATE, {"id": store.public_id, "name": "Nope"})
    assert response.status_code == 403


def test_another_merchants_store_is_not_found(api):
    foreign = StoreFactory(owner=MerchantFactory())
    for path in (UPDATE, DELETE):
        response = api.post(path, {"id": foreign.public_id, "name": "Mine now"})
        assert response.status_code == 404
        assert response.json()["errors"][0]["message"] == "Store not found"
    foreign.refresh_from_db()
    assert foreign.deleted_at is None and foreign.name != "Mine now"


def test_undecodable_store_id_is_a_format_error(api):
    response = api.post(UPDATE, {"id": "STO_nope"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == 'Expected format: STO_xxx, got "STO_nope"'


def test_delete_store_is_soft_and_hides_it(api, store):
    response = api.post(DELETE, {"id": store.public_id})
    assert response.status_code == 200
    assert response.json()["data"]["store"]["deletedAt"] is not None
    assert Store.objects.filter(pk=store.pk).exists()
    assert api.post(UPDATE, {"id": store.public_id, "name": "x"}).status_code == 404


def test_only_the_owner_deletes_a_store(api, merchant):
    store = StoreFactory()
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole.ADMIN)
    assert api.post(DELETE, {"id": store.public_id}).status_code == 403
