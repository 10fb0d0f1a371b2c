"""API keys kept a few seconds per process (``stores.key_cache``, issue 18): a signed
request reads no key row while the copy is fresh, and revocation still takes effect."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from stores import key_cache, services
from stores.models import ApiKey, Environment
from tests.keys import OTHER_KEY_PAIR
from tests.signed_client import SignedClient

PATH = "/v1/actions/checkout/create-session"


@pytest.fixture
def cached(settings):
    settings.API_KEY_CACHE_SECONDS = 5
    key_cache._entries.clear()
    yield
    key_cache._entries.clear()


@pytest.fixture
def body(product):
    return {"productId": product.public_id, "currency": "USD"}


def test_a_cached_key_spares_a_statement(
    cached, redis_stores, api, body, django_assert_max_num_queries
):
    api.post(PATH, body)  # reads the keys and marks the key used

    # The price with its version and product, the session: no key row read.
    with django_assert_max_num_queries(2):
        response = api.post(PATH, body)

    assert response.status_code == 200


def test_revoking_through_the_service_takes_effect_at_once(
    cached, api, body, django_capture_on_commit_callbacks
):
    assert api.post(PATH, body).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.api_key_revoke(api_key=ApiKey.objects.get())

    assert api.post(PATH, body).status_code == 401


def test_a_key_added_through_the_service_works_at_once(
    cached, merchant, api, body, django_capture_on_commit_callbacks
):
    assert api.post(PATH, body).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.api_key_add(
            merchant=merchant, environment=Environment.TEST, public_key=OTHER_KEY_PAIR[1]
        )

    other = SignedClient(merchant.public_id, OTHER_KEY_PAIR[0])

    assert other.post(PATH, body).status_code == 200


def test_a_change_made_around_the_services_takes_effect_when_the_copy_expires(
    cached, api, body, monkeypatch
):
    assert api.post(PATH, body).status_code == 200
    ApiKey.objects.update(revoked_at=timezone.now())
    assert api.post(PATH, body).status_code == 200  # the copy is still fresh

    later = key_cache.time.monotonic() + 6
    monkeypatch.setattr(key_cache.time, "monotonic", lambda: later)

    assert api.post(PATH, body).status_code == 401


def test_a_new_version_in_the_shared_cache_drops_the_copy(cached, merchant, api, body):
    assert api.post(PATH, body).status_code == 200
    ApiKey.objects.update(revoked_at=timezone.now())

    cache.set(key_cache._version_key(merchant.pk), 99)  # another process revoked it

    assert api.post(PATH, body).status_code == 401


def _revoke_then_fail() -> None:
    with transaction.atomic():
        services.api_key_revoke(api_key=ApiKey.objects.get())
        raise RuntimeError


def test_a_revocation_rolled_back_bumps_no_version(
    cached, merchant, api, body, django_capture_on_commit_callbacks
):
    assert api.post(PATH, body).status_code == 200

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _revoke_then_fail()

    assert callbacks == []
    assert cache.get(key_cache._version_key(merchant.pk)) is None
    assert api.post(PATH, body).status_code == 200


def test_without_caching_every_request_reads_the_keys(
    redis_stores, api, body, django_assert_num_queries
):
    api.post(PATH, body)

    with django_assert_num_queries(3):
        api.post(PATH, body)
