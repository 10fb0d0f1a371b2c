"""Signed API keys: every way a request can fail to prove who sent it is a 401."""

import json
import time

import pytest
from django.utils import timezone

from core.signing import canonical_request, sign
from stores.models import ApiKey, Environment
from tests.factories import ApiKeyFactory, MerchantFactory
from tests.keys import OTHER_KEY_PAIR, TEST_KEY_PAIR
from tests.signed_client import SignedClient

PATH = "/v1/actions/store/create-store"
UNAUTHORIZED = {"data": None, "errors": [{"message": "Unauthorized", "layer": "gateway"}]}


def test_signed_request_is_accepted_and_marks_the_key_used(merchant, api):
    ApiKey.objects.update(last_used_at=None)
    response = api.post(PATH, {"name": "Signed"})
    assert response.status_code == 200
    assert ApiKey.objects.get().last_used_at is not None


def test_missing_credentials(client, db):
    response = client.post(PATH, {"name": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_unknown_merchant(db):
    ghost = MerchantFactory.build()
    response = SignedClient(ghost.public_id, TEST_KEY_PAIR[0]).post(PATH, {"name": "x"})
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_undecodable_merchant_id(db):
    response = SignedClient("MER_123", TEST_KEY_PAIR[0]).post(PATH, {"name": "x"})
    assert response.status_code == 401


def test_signature_from_another_key(merchant):
    response = SignedClient(merchant.public_id, OTHER_KEY_PAIR[0]).post(PATH, {"name": "x"})
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_body_changed_after_signing_is_refused(merchant, api):
    stamp = str(int(time.time()))
    signature = sign(TEST_KEY_PAIR[0], canonical_request("POST", PATH, stamp, b'{"name":"a"}'))
    response = api.client.post(
        PATH,
        json.dumps({"name": "b"}),
        content_type="application/json",
        headers={
            "X-Merchant-Id": merchant.public_id,
            "X-Timestamp": stamp,
            "X-Signature": signature,
        },
    )
    assert response.status_code == 401


def test_revoked_key(merchant, api):
    ApiKey.objects.update(revoked_at=timezone.now())
    assert api.post(PATH, {"name": "x"}).status_code == 401


def test_inactive_merchant_user(merchant, api):
    merchant.user.is_active = False
    merchant.user.save()
    assert api.post(PATH, {"name": "x"}).status_code == 401


@pytest.mark.parametrize(("offset", "status"), [(-290, 200), (-310, 401), (50, 200), (70, 401)])
def test_timestamp_window_is_five_minutes_past_one_minute_future(api, offset, status):
    response = api.post(PATH, {"name": "x"}, timestamp=int(time.time()) + offset)
    assert response.status_code == status


def test_garbage_signature_is_a_401_not_a_crash(merchant):
    response = SignedClient(merchant.public_id, TEST_KEY_PAIR[0]).post(
        PATH, {"name": "x"}, headers={"X-Signature": "%%%not-base64%%%"}
    )
    assert response.status_code == 401


def test_the_verifying_key_decides_the_environment(merchant):
    ApiKeyFactory(merchant=merchant, environment=Environment.PROD, public_key=OTHER_KEY_PAIR[1])
    prod = SignedClient(merchant.public_id, OTHER_KEY_PAIR[0])
    response = prod.post(PATH, {"name": "Prod store"}, headers={"X-Environment": "test"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "Missing or invalid header: x-context-environment"
    )
    assert prod.post(PATH, {"name": "Prod store"}).status_code == 200


def test_invalid_environment_header_is_a_400(api):
    response = api.post(PATH, {"name": "x"}, headers={"X-Environment": "staging"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "Missing or invalid header: x-context-environment"
    )


def _both_environments(merchant):
    ApiKeyFactory(
        merchant=merchant,
        environment=Environment.PROD,
        public_key=TEST_KEY_PAIR[1],
        both_environments=True,
    )
    ApiKey.objects.filter(merchant=merchant).update(both_environments=True, last_used_at=None)


def test_a_key_registered_for_both_environments_must_name_one(merchant, api):
    _both_environments(merchant)

    response = api.post(PATH, {"name": "Which?"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "Missing or invalid header: x-context-environment"
    )
    assert not ApiKey.objects.filter(last_used_at__isnull=False).exists()


def test_the_header_chooses_the_environment_of_a_key_registered_for_both(merchant, api):
    _both_environments(merchant)

    prod = api.post(PATH, {"name": "Prod"}, headers={"X-Environment": "prod"})
    test = api.post(PATH, {"name": "Test"}, headers={"X-Context-Environment": "test"})

    assert prod.status_code == test.status_code == 200
    used = {key.environment for key in ApiKey.objects.filter(merchant=merchant) if key.last_used_at}
    assert used == {"test", "prod"}


def test_a_one_environment_key_may_name_its_own_environment(api):
    response = api.post(PATH, {"name": "Named"}, headers={"X-Environment": "test"})
    assert response.status_code == 200
