"""Simultaneous requests with one idempotency key, on real threads against PostgreSQL."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from stores import services
from stores.models import Store
from tests.factories import ApiKeyFactory, MerchantFactory
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import SignedClient

PATH = "/v1/actions/store/create-store"
THREADS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_execute_once(monkeypatch):
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    real_create = services.store_create

    def slow_create(**kwargs):
        time.sleep(0.5)  # keep the first request in flight while the others arrive
        return real_create(**kwargs)

    monkeypatch.setattr(services, "store_create", slow_create)
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, bool]] = []
    lock = threading.Lock()

    def fire():
        client = SignedClient(merchant.public_id, TEST_KEY_PAIR[0])
        barrier.wait()
        try:
            response = client.post(PATH, {"name": "Only once"}, idempotency_key="race-1")
            with lock:
                results.append((response.status_code, "Idempotent-Replayed" in response))
        finally:
            connection.close()

    threads = [threading.Thread(target=fire) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = Counter(status for status, _ in results)
    executed = [r for r in results if r == (200, False)]
    assert len(results) == THREADS
    assert len(executed) == 1, results
    assert set(statuses) <= {200, 409}
    assert statuses[409] >= 1
    assert Store.objects.count() == 1
