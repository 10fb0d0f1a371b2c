"""A store's team on its admin page: the same memberships the API manages, changed through
the same services; owners and admins manage, members look, platform staff manage all."""

import pytest

from core.models import DomainEvent
from stores import team
from stores.models import StoreMembership, StoreRole
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    change_url,
    changelist_url,
    store_form_data,
    team_form_data,
)
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return AdminMerchantFactory(email="owner@example.com")


@pytest.fixture
def store(owner):
    return StoreFactory(owner=owner, name="Shop")


@pytest.fixture
def colleague():
    return AdminMerchantFactory(email="colleague@example.com")


def login(client, merchant):
    client.force_login(merchant.user)
    return client


def inline_errors(response) -> list:
    formset = response.context["inline_admin_formsets"][0].formset
    return [dict(errors) for errors in formset.errors] + [formset.non_form_errors()]


def roles_of(store) -> dict:
    return dict(
        StoreMembership.objects.filter(store=store).values_list("merchant__user__email", "role")
    )


def post_team(client, store, **team):
    data = store_form_data(store)
    data |= team_form_data(store, new=team.pop("new", None))
    data |= team
    return client.post(change_url(store), data)


def test_the_store_page_lists_its_team(client, store, owner, colleague):
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.MEMBER)

    page = login(client, owner).get(change_url(store)).text

    assert "colleague@example.com" in page and "owner@example.com" in page


def test_the_owner_adds_an_account_by_email_through_the_service(client, store, owner, colleague):
    response = post_team(
        login(client, owner), store, new=[{"email": " Colleague@Example.com ", "role": "admin"}]
    )

    assert response.status_code == 302
    assert roles_of(store) == {"owner@example.com": "owner", "colleague@example.com": "admin"}
    assert DomainEvent.objects.get(name="store.merchant_added").subject == colleague.public_id


def test_an_email_without_an_account_is_a_form_error(client, store, owner):
    response = post_team(
        login(client, owner), store, new=[{"email": "nobody@example.com", "role": "member"}]
    )

    assert response.status_code == 200
    assert {"email": ["Merchant not found"]} in inline_errors(response)
    assert roles_of(store) == {"owner@example.com": "owner"}


def test_an_existing_member_is_not_added_twice(client, store, owner, colleague):
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.MEMBER)

    response = post_team(
        login(client, owner), store, new=[{"email": "colleague@example.com", "role": "admin"}]
    )

    assert response.status_code == 200
    assert {"email": [team.ALREADY_A_MEMBER]} in inline_errors(response)
    assert roles_of(store)["colleague@example.com"] == "member"


def test_the_owner_row_cannot_be_removed_or_demoted(client, store, owner):
    response = post_team(login(client, owner), store, **{"memberships-0-DELETE": "on"})
    assert response.status_code == 200
    assert [team.OWNER_NOT_REMOVABLE] in inline_errors(response)

    response = post_team(client, store, **{"memberships-0-role": "member"})  # field disabled
    assert roles_of(store) == {"owner@example.com": "owner"}


def test_an_admin_changes_a_role_and_removes_a_member(client, store, colleague):
    admin_merchant = AdminMerchantFactory(email="admin@example.com")
    StoreMembership.objects.create(store=store, merchant=admin_merchant, role=StoreRole.ADMIN)
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.MEMBER)
    login(client, admin_merchant)

    assert post_team(client, store, **{"memberships-2-role": "admin"}).status_code == 302
    assert roles_of(store)["colleague@example.com"] == "admin"

    assert post_team(client, store, **{"memberships-2-DELETE": "on"}).status_code == 302
    assert "colleague@example.com" not in roles_of(store)
    names = list(DomainEvent.objects.values_list("name", flat=True))
    assert names == ["store.merchant_role_changed", "store.merchant_removed"]


def test_a_member_sees_the_team_and_changes_nothing(client, store, colleague):
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.MEMBER)
    login(client, colleague)

    page = client.get(change_url(store))
    assert page.status_code == 200 and "owner@example.com" in page.text
    assert 'name="memberships-0-role"' not in page.text

    response = post_team(client, store, **{"memberships-0-DELETE": "on"})
    assert response.status_code == 403
    assert roles_of(store) == {"owner@example.com": "owner", "colleague@example.com": "member"}


def test_another_merchants_store_page_is_not_found(client, store, colleague):
    assert login(client, colleague).get(change_url(store)).status_code == 404
    assert post_team(client, store, new=[{"email": "colleague@example.com"}]).status_code == 404
    assert "colleague@example.com" not in roles_of(store)


def test_platform_staff_manage_any_team_on_the_store_page(client, store, colleague):
    client.force_login(SuperuserFactory())

    response = post_team(client, store, new=[{"email": "colleague@example.com", "role": "member"}])

    assert response.status_code == 302
    assert roles_of(store)["colleague@example.com"] == "member"
    assert DomainEvent.objects.get().payload["by"] == "platform"


def test_the_membership_list_writes_nothing(client, store):
    client.force_login(SuperuserFactory())
    membership = StoreMembership.objects.get()

    assert client.get(changelist_url(StoreMembership)).status_code == 200
    assert client.get(change_url(membership)).status_code == 200
    client.post(change_url(membership), {"role": "member"})

    membership.refresh_from_db()
    assert membership.role == StoreRole.OWNER
