"""The official SDK's ``client.storeMerchants`` against a live server, and the role matrix
as the SDK meets it: the same calls made with a colleague's own key as member, admin and
owner (tests/sdk/teams.mjs)."""

import re

import pytest

from core.ids import from_short_id
from stores.models import Store, StoreMembership, StoreRole
from stores.team import ALREADY_A_MEMBER, INVALID_ROLE, OWNER_NOT_REMOVABLE, OWNER_ROLE_FIXED
from tests.factories import ApiKeyFactory, MerchantFactory, UserFactory
from tests.keys import OTHER_KEY_PAIR

pytestmark = pytest.mark.sdk

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
FORBIDDEN = 403
CALLS = (
    "stores.update",
    "onetimeProducts.create",
    "onetimeProducts.update",
    "webhooks.add",
    "checkout.createSession",
    "auth.issueSessionToken",
    "graphql.query",
    "storeMerchants.add",
    "storeMerchants.updateRole",
    "storeMerchants.remove",
    "stores.delete",
)
# The README's role matrix, as the SDK meets it ("ok" or the refusal's status).
EXPECTED = {
    "owner": dict.fromkeys(CALLS, "ok"),
    "admin": {**dict.fromkeys(CALLS, "ok"), "stores.delete": FORBIDDEN},
    "member": {
        **dict.fromkeys(CALLS, FORBIDDEN),
        "checkout.createSession": "ok",
        "auth.issueSessionToken": "ok",
        "graphql.query": "ok",
    },
}


def refusal(status: int, message: str, layer: str = "store") -> dict:
    return {"status": status, "errors": [{"message": message, "layer": layer}], "message": message}


@pytest.fixture
def colleague(live_merchant, tmp_path):
    merchant = MerchantFactory(user=UserFactory(username="colleague@example.com"))
    ApiKeyFactory(merchant=merchant, public_key=OTHER_KEY_PAIR[1])
    key_file = tmp_path / "colleague.pem"
    key_file.write_text(OTHER_KEY_PAIR[0])
    return merchant, key_file


def test_sdk_team_methods_and_the_role_matrix(live_sdk, live_merchant, colleague):
    merchant, key_file = colleague
    third = MerchantFactory(user=UserFactory(username="third@example.com"))

    out = live_sdk(
        "teams.mjs",
        COLLEAGUE_ID=merchant.public_id,
        COLLEAGUE_KEY_FILE=str(key_file),
        COLLEAGUE_EMAIL="colleague@example.com",
        THIRD_EMAIL="third@example.com",
        THIRD_ID=third.public_id,
    )

    assert out["matrix"] == EXPECTED
    for role, store_id in out["sharedStores"].items():
        store = Store.objects.get(pk=from_short_id("STO", store_id))
        assert store.name == ("Team member" if role == "member" else "Renamed admin")
        assert store.deleted_at is None  # neither a member nor an admin deletes
        assert StoreMembership.objects.get(store=store, merchant=merchant).role == role
    assert out["addedForMatrix"]["role"] == "admin"
    check_team_calls(out, merchant)
    store = Store.objects.get(pk=from_short_id("STO", out["calls"]["storeId"]))
    assert list(store.memberships.values_list("merchant", "role")) == [
        (live_merchant.pk, StoreRole.OWNER)
    ]


def check_team_calls(out: dict, merchant) -> None:
    """What each team call answered, as the SDK returned it."""
    calls = out["calls"]
    added = calls["added"]
    assert set(added) == {"storeId", "merchantId", "email", "role", "status", "addedAt"}
    assert (added["storeId"], added["merchantId"]) == (calls["storeId"], merchant.public_id)
    assert (added["email"], added["role"], added["status"]) == (
        "colleague@example.com",
        "member",
        "active",
    )
    assert ISO_UTC.fullmatch(added["addedAt"])
    assert calls["addedTwice"] == refusal(409, ALREADY_A_MEMBER)
    assert calls["unknownEmail"] == refusal(404, "Merchant not found", "user")
    # The SDK refuses this one before sending, in the words the server would answer.
    assert calls["ownerRole"] == refusal(400, INVALID_ROLE.format(role="owner"), "sdk")
    assert calls["memberRenames"] == refusal(
        403, "Access denied: you do not have permission to this store"
    )

    promoted = calls["promoted"]
    assert set(promoted) == {"storeId", "merchantId", "role", "updatedAt"}
    assert (promoted["merchantId"], promoted["role"]) == (merchant.public_id, "admin")
    assert ISO_UTC.fullmatch(promoted["updatedAt"])
    assert calls["adminRenames"]["store"]["name"] == "Admin's"
    assert calls["demoteOwner"] == refusal(403, OWNER_ROLE_FIXED)
    assert calls["removeOwner"] == refusal(403, OWNER_NOT_REMOVABLE)

    seen = calls["seenAs"]["data"]["merchant"]
    assert seen["id"] == merchant.public_id
    roles = {row["store"]["id"]: row["role"] for row in seen["storeMerchants"]}
    assert roles[calls["storeId"]] == "admin"
    assert roles[out["sharedStores"]["member"]] == "member"

    assert calls["removed"]["message"] == "Merchant removed from store"
    assert ISO_UTC.fullmatch(calls["removed"]["removedAt"])
    assert calls["afterRemoval"] == refusal(404, "Store not found")
    assert calls["removedTwice"]["status"] == 404
