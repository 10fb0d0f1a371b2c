"""A signed request is used once: the same signature again inside its window is refused
(issue 17, finding 1), unless it is the retry of a client that sent an idempotency key."""

import json
import time
import uuid

import pytest
import requests

from core.models import SeenSignature
from core.replay import seen_signatures_prune, signature_digest, signature_first_use
from core.signing import canonical_request, sign
from stores.models import Environment, Store
from tests.factories import ApiKeyFactory
from tests.keys import TEST_KEY_PAIR
from tests.process_support import gunicorn

PATH = "/v1/actions/store/create-store"
UNAUTHORIZED = {"data": None, "errors": [{"message": "Unauthorized", "layer": "gateway"}]}


def _captured(merchant, body: dict, path: str = PATH) -> tuple[bytes, dict]:
    """One signed request's bytes and headers, as an eavesdropper would keep them."""
    data = json.dumps(body).encode()
    stamp = str(int(time.time()))
    headers = {
        "X-Merchant-Id": merchant.public_id,
        "X-Timestamp": stamp,
        "X-Signature": sign(TEST_KEY_PAIR[0], canonical_request("POST", path, stamp, data)),
    }
    return data, headers


def _send(client, data, headers, path: str = PATH, **extra):
    return client.post(path, data, content_type="application/json", headers={**headers, **extra})


def test_a_replayed_signature_is_refused_and_changes_nothing(client, merchant):
    data, headers = _captured(merchant, {"name": "Once"})

    first = _send(client, data, headers)
    replays = [_send(client, data, headers) for _ in range(3)]

    assert first.status_code == 200
    assert [r.status_code for r in replays] == [401, 401, 401]
    assert replays[0].json() == UNAUTHORIZED
    assert Store.objects.count() == 1


def test_a_replay_keeps_the_token_actions_contract_message(client, merchant, store):
    path = "/v1/actions/auth/issue-session-token"
    body = {"storeId": store.public_id, "buyerIdentity": "buyer@example.com"}
    data, headers = _captured(merchant, body, path)
    _send(client, data, headers, path)

    replay = _send(client, data, headers, path)

    assert replay.status_code == 401
    assert replay.json()["errors"][0]["message"] == "Missing merchantId in request context"


def test_a_retry_with_the_same_idempotency_key_is_answered_from_the_ledger(client, merchant):
    data, headers = _captured(merchant, {"name": "Retried"})

    first = _send(client, data, headers, **{"X-Idempotency-Key": "create-1"})
    retry = _send(client, data, headers, **{"X-Idempotency-Key": "create-1"})

    assert first.status_code == retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert Store.objects.count() == 1


@pytest.mark.parametrize(("first_key", "replay_key"), [(None, "fresh"), ("create-1", "other")])
def test_an_idempotency_key_the_first_use_did_not_carry_is_a_replay(
    client, merchant, first_key, replay_key
):
    data, headers = _captured(merchant, {"name": "Keyed"})
    _send(client, data, headers, **({"X-Idempotency-Key": first_key} if first_key else {}))

    replay = _send(client, data, headers, **{"X-Idempotency-Key": replay_key})

    assert replay.status_code == 401
    assert Store.objects.count() == 1


def test_a_retry_without_the_key_is_a_replay(client, merchant):
    data, headers = _captured(merchant, {"name": "Keyed"})
    _send(client, data, headers, **{"X-Idempotency-Key": "create-1"})

    assert _send(client, data, headers).status_code == 401


def test_flipping_the_environment_header_is_a_replay(client, merchant):
    """The test request's bytes sent again with ``X-Environment: prod`` (issue 17, 2)."""
    ApiKeyFactory(
        merchant=merchant,
        environment=Environment.PROD,
        public_key=TEST_KEY_PAIR[1],
        both_environments=True,
    )
    merchant.api_keys.update(both_environments=True)
    data, headers = _captured(merchant, {"name": "Test only"})

    first = _send(client, data, headers, **{"X-Environment": "test"})
    flipped = _send(client, data, headers, **{"X-Environment": "prod"})

    assert first.status_code == 200 and flipped.status_code == 401
    assert list(Store.objects.values_list("name", flat=True)) == ["Test only"]


def test_the_same_body_signed_at_another_second_is_a_new_request(client, merchant):
    data, headers = _captured(merchant, {"name": "Twice"})
    earlier = str(int(headers["X-Timestamp"]) - 1)
    again = {
        **headers,
        "X-Timestamp": earlier,
        "X-Signature": sign(TEST_KEY_PAIR[0], canonical_request("POST", PATH, earlier, data)),
    }

    assert _send(client, data, headers).status_code == 200
    assert _send(client, data, again).status_code == 200
    assert Store.objects.count() == 2


@pytest.mark.django_db
def test_seen_signatures_are_kept_until_their_window_closes():
    now = 1_800_000_000
    assert signature_first_use(digest="a" * 64, idempotency_key="", valid_until=now + 5, now=now)
    assert signature_first_use(digest="b" * 64, idempotency_key="", valid_until=now + 500, now=now)

    assert seen_signatures_prune(now=now + 6) == 1
    assert list(SeenSignature.objects.values_list("digest", flat=True)) == ["b" * 64]


def test_the_digest_names_the_signing_key():
    message = canonical_request("POST", PATH, "1", b"{}")
    assert signature_digest(signer="m:key1", message=message) != signature_digest(
        signer="m:key2", message=message
    )


@pytest.mark.django_db
def test_seen_signatures_are_shared_in_redis(settings):
    settings.SIGNATURE_REPLAY_STORE = "redis"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    digest = uuid.uuid4().hex
    until = int(time.time()) + 300

    first = signature_first_use(digest=digest, idempotency_key="k", valid_until=until)
    retry = signature_first_use(digest=digest, idempotency_key="k", valid_until=until)
    replay = signature_first_use(digest=digest, idempotency_key="", valid_until=until)

    assert (first, retry, replay) == (True, True, False)
    assert not SeenSignature.objects.exists()  # remembered in Redis, not the database


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_replays_spread_over_web_processes_make_one_store(merchant):
    data, headers = _captured(merchant, {"name": "Across processes"})
    with gunicorn(workers=4) as base_url:
        statuses = [
            requests.post(
                base_url + PATH,
                data=data,
                headers={**headers, "Content-Type": "application/json"},
                timeout=30,
            ).status_code
            for _ in range(8)
        ]

    assert sorted(statuses) == [200] + [401] * 7
    assert Store.objects.count() == 1


def test_an_overlong_idempotency_key_is_still_the_ledgers_400(client, merchant):
    data, headers = _captured(merchant, {"name": "Long key"})

    response = _send(client, data, headers, **{"X-Idempotency-Key": "a" * 5000})

    assert response.status_code == 400
    assert not Store.objects.exists()
