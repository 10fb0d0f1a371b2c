"""``store-merchant/add-merchant``, ``remove-merchant``, ``update-role`` through signed
requests: the SDK's shapes, the owner's protection, emails trimmed and lowercased, and the
member acting at once with its own key."""

import re

import pytest

from core.errors import Forbidden
from core.models import DomainEvent
from stores import team
from stores.models import StoreMembership, StoreRole
from tests.factories import ApiKeyFactory, MerchantFactory, StoreFactory, UserFactory
from tests.keys import OTHER_KEY_PAIR
from tests.signed_client import SignedClient

ADD = "/v1/actions/store-merchant/add-merchant"
REMOVE = "/v1/actions/store-merchant/remove-merchant"
UPDATE_ROLE = "/v1/actions/store-merchant/update-role"
UPDATE_STORE = "/v1/actions/store/update-store"
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def errors(response) -> list[tuple[str, str]]:
    body = response.json()
    assert body["data"] is None
    return [(error["message"], error["layer"]) for error in body["errors"]]


@pytest.fixture
def colleague(db):
    """Another merchant account with its own key."""
    merchant = MerchantFactory(user=UserFactory(username="colleague@example.com"))
    ApiKeyFactory(merchant=merchant, public_key=OTHER_KEY_PAIR[1])
    return merchant


@pytest.fixture
def colleague_api(colleague):
    return SignedClient(colleague.public_id, OTHER_KEY_PAIR[0])


def role_of(store, merchant) -> str | None:
    row = StoreMembership.objects.filter(store=store, merchant=merchant).first()
    return row.role if row else None


def test_add_names_an_account_by_email_and_answers_the_sdk_shape(api, store, colleague):
    response = api.post(
        ADD, {"storeId": store.public_id, "email": "  Colleague@Example.COM ", "role": "admin"}
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"storeId", "merchantId", "email", "role", "status", "addedAt"}
    assert data["storeId"] == store.public_id
    assert data["merchantId"] == colleague.public_id
    assert data["email"] == "colleague@example.com"
    assert (data["role"], data["status"]) == ("admin", "active")
    assert ISO_UTC.fullmatch(data["addedAt"])
    assert role_of(store, colleague) == StoreRole.ADMIN
    event = DomainEvent.objects.get(name="store.merchant_added")
    assert (event.subject, event.store_id) == (colleague.public_id, store.pk)


def test_the_added_member_acts_at_once_with_its_own_key(api, store, colleague, colleague_api):
    assert colleague_api.post(UPDATE_STORE, {"id": store.public_id}).status_code == 404

    api.post(ADD, {"storeId": store.public_id, "email": "colleague@example.com", "role": "admin"})
    response = colleague_api.post(UPDATE_STORE, {"id": store.public_id, "name": "Ours"})

    assert response.status_code == 200
    assert response.json()["data"]["store"]["name"] == "Ours"


@pytest.mark.parametrize(
    ("body", "status", "message", "layer"),
    [
        ({"email": "nobody@example.com", "role": "member"}, 404, "Merchant not found", "user"),
        (
            {"email": "colleague@example.com", "role": "owner"},
            400,
            'Invalid role: expected one of [admin, member], got "owner"',
            "store",
        ),
        ({"email": "colleague@example.com"}, 400, "Missing required field: role", "store"),
        ({"role": "member"}, 400, "Missing required field: email", "store"),
        ({"email": "  ", "role": "member"}, 400, "Missing required field: email", "store"),
    ],
)
def test_add_refuses_and_writes_nothing(api, store, colleague, body, status, message, layer):
    response = api.post(ADD, {"storeId": store.public_id, **body})

    assert response.status_code == status
    assert errors(response) == [(message, layer)]
    assert role_of(store, colleague) is None
    assert not DomainEvent.objects.exists()


def test_adding_a_member_twice_is_a_conflict(api, store, colleague):
    body = {"storeId": store.public_id, "email": "colleague@example.com", "role": "member"}
    assert api.post(ADD, body).status_code == 200

    response = api.post(ADD, {**body, "role": "admin"})

    assert response.status_code == 409
    assert errors(response) == [(team.ALREADY_A_MEMBER, "store")]
    assert role_of(store, colleague) == StoreRole.MEMBER


def test_another_merchants_store_is_not_found(api, colleague):
    foreign = StoreFactory(owner=MerchantFactory())
    for path, extra in (
        (ADD, {"email": "colleague@example.com", "role": "member"}),
        (REMOVE, {"merchantId": colleague.public_id}),
        (UPDATE_ROLE, {"merchantId": colleague.public_id, "role": "admin"}),
    ):
        response = api.post(path, {"storeId": foreign.public_id, **extra})
        assert response.status_code == 404
        assert errors(response) == [("Store not found", "store")]
    assert role_of(foreign, colleague) is None


def test_update_role_answers_the_sdk_shape(api, store, colleague):
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.MEMBER)

    response = api.post(
        UPDATE_ROLE,
        {"storeId": store.public_id, "merchantId": colleague.public_id, "role": "admin"},
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"storeId", "merchantId", "role", "updatedAt"}
    assert (data["storeId"], data["merchantId"], data["role"]) == (
        store.public_id,
        colleague.public_id,
        "admin",
    )
    assert ISO_UTC.fullmatch(data["updatedAt"])
    assert role_of(store, colleague) == StoreRole.ADMIN
    event = DomainEvent.objects.get(name="store.merchant_role_changed")
    assert (event.payload["role"], event.payload["was"]) == ("admin", "member")


def test_remove_answers_the_sdk_shape_and_the_key_no_longer_reaches(
    api, store, colleague, colleague_api
):
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.ADMIN)

    response = api.post(REMOVE, {"storeId": store.public_id, "merchantId": colleague.public_id})

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["message"] == "Merchant removed from store"
    assert ISO_UTC.fullmatch(data["removedAt"])
    assert role_of(store, colleague) is None
    assert colleague_api.post(UPDATE_STORE, {"id": store.public_id}).status_code == 404
    assert DomainEvent.objects.filter(name="store.merchant_removed").count() == 1


def test_the_owner_cannot_be_removed_or_demoted(api, store, merchant, colleague, colleague_api):
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.ADMIN)
    owner = {"storeId": store.public_id, "merchantId": merchant.public_id}

    for client in (colleague_api, api):  # neither an admin nor the owner itself
        removed = client.post(REMOVE, owner)
        demoted = client.post(UPDATE_ROLE, {**owner, "role": "admin"})
        assert removed.status_code == demoted.status_code == 403
        assert errors(removed) == [(team.OWNER_NOT_REMOVABLE, "store")]
        assert errors(demoted) == [(team.OWNER_ROLE_FIXED, "store")]
    assert role_of(store, merchant) == StoreRole.OWNER


def test_admins_manage_admins_and_members(store, colleague, colleague_api):
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.ADMIN)
    third = MerchantFactory(user=UserFactory(username="third@example.com"))

    added = colleague_api.post(
        ADD, {"storeId": store.public_id, "email": "third@example.com", "role": "member"}
    )
    promoted = colleague_api.post(
        UPDATE_ROLE, {"storeId": store.public_id, "merchantId": third.public_id, "role": "admin"}
    )
    removed = colleague_api.post(
        REMOVE, {"storeId": store.public_id, "merchantId": third.public_id}
    )

    assert [added.status_code, promoted.status_code, removed.status_code] == [200, 200, 200]
    assert role_of(store, third) is None


def test_members_do_not_manage_the_team(store, colleague, colleague_api):
    StoreMembership.objects.create(store=store, merchant=colleague, role=StoreRole.MEMBER)
    third = MerchantFactory(user=UserFactory(username="third@example.com"))

    response = colleague_api.post(
        ADD, {"storeId": store.public_id, "email": "third@example.com", "role": "member"}
    )
    promoted = colleague_api.post(
        UPDATE_ROLE,
        {"storeId": store.public_id, "merchantId": colleague.public_id, "role": "admin"},
    )

    assert response.status_code == promoted.status_code == 403
    assert errors(response) == [
        ("Access denied: you do not have permission to this store", "store")
    ]
    assert role_of(store, third) is None
    assert role_of(store, colleague) == StoreRole.MEMBER


def test_a_merchant_outside_the_team_is_not_a_member(api, store, colleague):
    for path, extra in ((REMOVE, {}), (UPDATE_ROLE, {"role": "member"})):
        response = api.post(
            path, {"storeId": store.public_id, "merchantId": colleague.public_id, **extra}
        )
        assert response.status_code == 404
        assert errors(response) == [(team.NOT_A_MEMBER, "store")]


def test_bad_ids_are_format_errors(api, store):
    response = api.post(REMOVE, {"storeId": store.public_id, "merchantId": "MER_nope"})
    assert response.status_code == 400
    assert errors(response) == [('Expected format: MER_xxx, got "MER_nope"', "store")]
    response = api.post(ADD, {"storeId": "STO_nope", "email": "a@b.co", "role": "member"})
    assert errors(response) == [('Expected format: STO_xxx, got "STO_nope"', "store")]


def test_a_demoted_admin_cannot_act_from_a_stale_check(store, colleague):
    """The service re-reads the actor's role under its row lock (the API check ran before)."""
    membership = StoreMembership.objects.create(
        store=store, merchant=colleague, role=StoreRole.MEMBER
    )
    third = MerchantFactory(user=UserFactory(username="third@example.com"))

    with pytest.raises(Forbidden):
        team.team_member_add(
            store_id=store.pk, email="third@example.com", role="member", actor_id=colleague.pk
        )
    assert role_of(store, third) is None
    assert membership.role == StoreRole.MEMBER
