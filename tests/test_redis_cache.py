"""The shared cache's Redis backend (core.cache): one client per pool, same behaviour."""

import threading
import uuid

from django.core.cache import caches


def test_every_operation_reuses_one_client(redis_stores):
    backend = caches["default"]._cache

    assert backend.get_client(write=True) is backend.get_client(write=False)


def test_values_counters_and_expiry_behave_as_djangos(redis_stores):
    cache = caches["default"]
    key = f"t:{uuid.uuid4()}"

    assert cache.add(key, 1, timeout=30) is True
    assert cache.add(key, 5, timeout=30) is False
    assert cache.incr(key) == 2
    assert cache.get(key) == 2
    cache.set(f"{key}:gone", "x", timeout=0)
    assert cache.get(f"{key}:gone", "missing") == "missing"


def test_threads_sharing_the_client_lose_no_increment(redis_stores):
    cache = caches["default"]
    key = f"t:{uuid.uuid4()}"
    cache.set(key, 0, timeout=60)

    def bump():
        for _ in range(50):
            cache.incr(key)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cache.get(key) == 400
