from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import IdempotencyRecord
from stores.models import Store
from tests.factories import ApiKeyFactory, MerchantFactory
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import SignedClient

PATH = "/v1/actions/store/create-store"


def test_same_key_replays_the_first_response_without_executing_again(api):
    first = api.post(PATH, {"name": "Once"}, idempotency_key="create-once-1")
    second = api.post(PATH, {"name": "Once"}, idempotency_key="create-once-1")

    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Store.objects.count() == 1


def test_same_key_with_a_different_body_is_refused(api):
    api.post(PATH, {"name": "First"}, idempotency_key="k-1")
    response = api.post(PATH, {"name": "Second"}, idempotency_key="k-1")

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "This idempotency key was already used for a different request"
    )
    assert Store.objects.count() == 1


def test_a_failed_request_frees_the_key(api):
    failed = api.post(PATH, {"name": ""}, idempotency_key="retry-me")
    assert failed.status_code == 400
    assert not IdempotencyRecord.objects.exists()

    fixed = api.post(PATH, {"name": "Fixed"}, idempotency_key="retry-me")
    assert fixed.status_code == 200


def test_a_key_in_flight_answers_409(api, merchant):
    now = timezone.now()
    IdempotencyRecord.objects.create(
        owner=f"merchant:{merchant.id}:test",
        key="busy",
        request_hash="x" * 64,
        created_at=now,
        expires_at=now + timedelta(hours=24),
    )
    response = api.post(PATH, {"name": "Busy"}, idempotency_key="busy")
    assert response.status_code == 409
    assert not Store.objects.exists()


def test_an_abandoned_claim_is_taken_over(api, merchant):
    long_ago = timezone.now() - timedelta(minutes=30)
    IdempotencyRecord.objects.create(
        owner=f"merchant:{merchant.id}:test",
        key="crashed",
        request_hash="x" * 64,
        created_at=long_ago,
        expires_at=long_ago + timedelta(hours=24),
    )
    assert api.post(PATH, {"name": "Again"}, idempotency_key="crashed").status_code == 200
    assert IdempotencyRecord.objects.get().state == "completed"


def test_an_expired_response_is_not_replayed(api):
    api.post(PATH, {"name": "Old"}, idempotency_key="old")
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.post(PATH, {"name": "Old"}, idempotency_key="old")
    assert "Idempotent-Replayed" not in response
    assert Store.objects.count() == 2


@pytest.mark.parametrize("key", ["", "has space", "a" * 257, "emoji-🙂", "semi;colon"])
def test_malformed_keys_are_a_400_and_change_nothing(api, key):
    response = api.post(PATH, {"name": "x"}, idempotency_key=key)
    assert response.status_code == 400
    assert not Store.objects.exists()


def test_a_256_character_key_is_fine(api):
    assert api.post(PATH, {"name": "x"}, idempotency_key="a" * 256).status_code == 200


def test_keys_are_scoped_per_merchant(api):
    other = MerchantFactory()
    ApiKeyFactory(merchant=other)
    other_api = SignedClient(other.public_id, TEST_KEY_PAIR[0])

    api.post(PATH, {"name": "Mine"}, idempotency_key="shared-key")
    response = other_api.post(PATH, {"name": "Mine"}, idempotency_key="shared-key")

    assert "Idempotent-Replayed" not in response
    assert Store.objects.count() == 2


def test_idempotency_costs_two_statements(api, django_assert_num_queries):
    api.post(PATH, {"name": "warm-up"})
    # key lookup, the signature's first use, claim, store + membership (+ the savepoint pair
    # the test transaction adds around store_create's atomic block), complete
    with django_assert_num_queries(1 + 1 + 1 + 2 + 2 + 1):
        api.post(PATH, {"name": "Counted"}, idempotency_key="counted")
