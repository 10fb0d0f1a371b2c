import pytest
from django.contrib import admin
from django.utils import timezone

from stores.models import Merchant, Store, StoreMembership, StoreRole, StoreStatus
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    action_data,
    add_url,
    admin_url,
    change_url,
    changelist_url,
    form_errors,
    store_form_data,
)
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(SuperuserFactory())
    return client


def listed_stores(response):
    return {store.pk for store in response.context["cl"].result_list}


def test_site_header_is_ours(merchant_client):
    response = merchant_client.get("/admin/")

    assert response.status_code == 200
    assert admin.site.site_header == "Pancake Checkout admin"
    assert "Pancake Checkout admin" in response.text


def test_merchant_lists_only_its_own_living_stores(merchant_client, merchant, store):
    deleted = StoreFactory(owner=merchant, name="Gone")
    deleted.deleted_at = timezone.now()
    deleted.save()
    others = StoreFactory(owner=AdminMerchantFactory(), name="Theirs")

    response = merchant_client.get(changelist_url(Store))

    assert response.status_code == 200
    assert listed_stores(response) == {store.pk}
    assert "Theirs" not in response.text
    assert others.slug not in response.text
    for column in ("Name", "Slug", "Status", "Approved for prod", "Created at", "Your role"):
        assert column in response.text


@pytest.mark.parametrize("suffix", ["change", "history"])
def test_another_merchants_store_is_404(merchant_client, suffix):
    theirs = StoreFactory(owner=AdminMerchantFactory())

    response = merchant_client.get(admin_url(Store, suffix, theirs.pk))

    assert response.status_code == 404


def test_a_soft_deleted_store_is_404(merchant_client, store):
    store.deleted_at = timezone.now()
    store.save()

    assert merchant_client.get(change_url(store)).status_code == 404


def test_merchant_edits_its_store(merchant_client, store):
    response = merchant_client.post(
        change_url(store),
        store_form_data(
            store,
            name="  Renamed shop  ",
            status="inactive",
            logo="https://cdn.example.com/logo.png",
            support_email="  Help@Example.COM ",
            website="https://shop.example.com",
        ),
    )

    assert response.status_code == 302, form_errors(response)
    store.refresh_from_db()
    assert store.name == "Renamed shop"
    assert store.status == StoreStatus.INACTIVE
    assert store.logo == "https://cdn.example.com/logo.png"
    assert store.support_email == "help@example.com"
    assert store.website == "https://shop.example.com"
    # Untouched theme and notifications stay unset: defaults are not pinned.
    assert store.checkout_settings is None
    assert store.notification_settings is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Store name must be between 1 and 48 characters"),
        ("x" * 49, "Store name must be between 1 and 48 characters"),
    ],
)
def test_store_name_is_checked_by_the_service_rules(merchant_client, store, name, message):
    response = merchant_client.post(change_url(store), store_form_data(store, name=name))

    assert response.status_code == 200
    assert form_errors(response) == {"name": [message]}
    store.refresh_from_db()
    assert store.name == "Mine"


def test_merchant_cannot_suspend(merchant_client, store):
    response = merchant_client.post(change_url(store), store_form_data(store, status="suspended"))

    assert response.status_code == 200
    assert "status" in form_errors(response)
    store.refresh_from_db()
    assert store.status == StoreStatus.ACTIVE


def test_slug_and_prod_approval_are_read_only_for_merchants(merchant_client, store):
    slug = store.slug

    response = merchant_client.post(
        change_url(store), store_form_data(store, slug="hijacked", prod_enabled="on")
    )

    assert response.status_code == 302
    store.refresh_from_db()
    assert store.slug == slug
    assert store.prod_enabled is False


def test_suspended_store_status_cannot_be_changed_by_its_merchant(merchant_client, store):
    Store.objects.filter(pk=store.pk).update(status=StoreStatus.SUSPENDED)
    store.refresh_from_db()

    response = merchant_client.post(
        change_url(store), store_form_data(store, status="active", name="Still mine")
    )

    assert response.status_code == 302
    store.refresh_from_db()
    assert store.status == StoreStatus.SUSPENDED
    assert store.name == "Still mine"


def test_invalid_logo_is_refused(merchant_client, store):
    response = merchant_client.post(
        change_url(store), store_form_data(store, logo="http://insecure.example.com/l.png")
    )

    assert response.status_code == 200
    assert form_errors(response) == {
        "logo": ["Invalid logo: expected an https URL or a data:image URI"]
    }


def test_notifications_are_stored_through_the_schema(merchant_client, store):
    response = merchant_client.post(
        change_url(store), store_form_data(store, notifications=["notifyNewOrders"])
    )

    assert response.status_code == 302, form_errors(response)
    store.refresh_from_db()
    assert store.notification_settings["notifyNewOrders"] is True
    assert store.notification_settings["notifyChargeback"] is False
    # Platform-managed emails cannot be switched off from here.
    assert "emailOrderConfirmation" not in store.notification_settings


def test_platform_notifications_are_not_offered(merchant_client, store):
    response = merchant_client.post(
        change_url(store), store_form_data(store, notifications=["emailOrderConfirmation"])
    )

    assert response.status_code == 200
    assert "notifications" in form_errors(response)


def test_member_role_sees_but_cannot_change(merchant_client, merchant):
    store = StoreFactory(owner=AdminMerchantFactory(), name="Shared")
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole.MEMBER)

    assert merchant_client.get(change_url(store)).status_code == 200
    response = merchant_client.post(change_url(store), store_form_data(store, name="Nope"))

    assert response.status_code == 403
    store.refresh_from_db()
    assert store.name == "Shared"


def test_admin_role_can_change(merchant_client, merchant):
    store = StoreFactory(owner=AdminMerchantFactory(), name="Shared")
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole.ADMIN)

    response = merchant_client.post(change_url(store), store_form_data(store, name="Ours"))

    assert response.status_code == 302
    store.refresh_from_db()
    assert store.name == "Ours"


def test_merchant_adds_a_store_through_store_create(merchant_client, merchant):
    response = merchant_client.post(add_url(Store), {"name": "  New shop ", "_save": "Save"})

    assert response.status_code == 302, form_errors(response)
    store = Store.objects.get()
    assert store.name == "New shop"
    assert store.slug.startswith("new-shop-")
    membership = StoreMembership.objects.get(store=store)
    assert (membership.merchant, membership.role) == (merchant, StoreRole.OWNER)


def test_merchant_cannot_add_a_store_for_someone_else(merchant_client, merchant):
    other = AdminMerchantFactory()

    response = merchant_client.post(
        add_url(Store), {"name": "Mine too", "owner": str(other.pk), "_save": "Save"}
    )

    assert response.status_code == 302
    assert StoreMembership.objects.get().merchant == merchant


def test_bad_store_name_on_add_writes_nothing(merchant_client):
    response = merchant_client.post(add_url(Store), {"name": "x" * 49, "_save": "Save"})

    assert response.status_code == 200
    assert form_errors(response) == {"name": ["Store name must be between 1 and 48 characters"]}
    assert not Store.objects.exists()


def test_merchant_has_no_prod_approval_action(merchant_client, store):
    response = merchant_client.get(changelist_url(Store))
    assert "approve_for_prod" not in response.text

    merchant_client.post(changelist_url(Store), action_data("approve_for_prod", store))

    store.refresh_from_db()
    assert store.prod_enabled is False


def test_superuser_approves_and_revokes_prod(superuser_client, store):
    other = StoreFactory(owner=AdminMerchantFactory())

    response = superuser_client.post(
        changelist_url(Store), action_data("approve_for_prod", store, other)
    )

    assert response.status_code == 302
    assert set(Store.objects.values_list("prod_enabled", flat=True)) == {True}

    superuser_client.post(changelist_url(Store), action_data("revoke_prod_approval", store))

    store.refresh_from_db()
    other.refresh_from_db()
    assert (store.prod_enabled, other.prod_enabled) == (False, True)


def test_superuser_sees_every_store_and_can_suspend(superuser_client, store):
    gone = StoreFactory(owner=AdminMerchantFactory())
    gone.deleted_at = timezone.now()
    gone.save()

    response = superuser_client.get(changelist_url(Store))
    assert listed_stores(response) == {store.pk, gone.pk}

    response = superuser_client.post(
        change_url(store), store_form_data(store, status="suspended", prod_enabled="on")
    )

    assert response.status_code == 302, form_errors(response)
    store.refresh_from_db()
    assert (store.status, store.prod_enabled) == (StoreStatus.SUSPENDED, True)


def test_superuser_adds_a_store_for_a_merchant(superuser_client, merchant):
    response = superuser_client.post(
        add_url(Store), {"name": "Staff made", "owner": str(merchant.pk), "_save": "Save"}
    )

    assert response.status_code == 302, form_errors(response)
    membership = StoreMembership.objects.get()
    assert (membership.merchant, membership.role) == (merchant, StoreRole.OWNER)


@pytest.mark.parametrize("model", [Merchant, StoreMembership])
def test_merchants_and_memberships_are_for_superusers_only(client, merchant, model):
    client.force_login(merchant.user)
    assert client.get(changelist_url(model)).status_code == 403
    assert f'href="{changelist_url(model)}"' not in client.get("/admin/").text

    client.force_login(SuperuserFactory())
    assert client.get(changelist_url(model)).status_code == 200


def test_superuser_creates_a_merchant_through_the_service(superuser_client):
    response = superuser_client.post(
        add_url(Merchant),
        {"email": " New@Example.com ", "password": "a long enough passphrase", "_save": "Save"},
    )

    assert response.status_code == 302, form_errors(response)
    merchant = Merchant.objects.get()
    assert merchant.user.email == "new@example.com"
    assert merchant.user.is_staff
    assert merchant.user.groups.filter(name="Merchants").exists()


def test_superuser_filters_stores_by_deletion(superuser_client):
    StoreFactory(name="Alive")
    StoreFactory(name="Gone", deleted_at=timezone.now())
    url = changelist_url(Store)

    deleted = superuser_client.get(url, {"deleted": "yes"})
    alive = superuser_client.get(url, {"deleted": "no"})

    assert {s.name for s in deleted.context["cl"].result_list} == {"Gone"}
    assert {s.name for s in alive.context["cl"].result_list} == {"Alive"}
