"""The shared cache's Redis backend (core.cache): one client per pool, same behaviour."""

import threading
import uuid

from django.core.cache import caches


def in_threads(work, count: int) -> None:
    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


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

    in_threads(bump, 8)

    assert cache.get(key) == 400


def test_a_counter_counts_in_one_round_trip_and_expires(redis_stores, monkeypatch):
    import redis

    cache = caches["default"]
    key = f"t:{uuid.uuid4()}"
    cache.get(key)  # the pool's connection is open (its handshake is not counted)
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, command, *args, **kwargs):
        sent.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)

    counts = [cache.count(key, timeout=90) for _ in range(3)]

    monkeypatch.undo()
    assert len(sent) == 3  # one write per count: MULTI, SET NX, INCR and EXEC together
    assert counts == [1, 2, 3]
    assert cache.get(key) == 3
    ttl = redis.Redis.from_url(redis_stores).ttl(cache.make_and_validate_key(key))
    assert 80 < ttl <= 90


def test_threads_counting_at_once_each_get_their_own_number(redis_stores):
    cache = caches["default"]
    key = f"t:{uuid.uuid4()}"
    numbers: list[int] = []
    lock = threading.Lock()

    def count():
        for _ in range(25):
            value = cache.count(key, timeout=60)
            with lock:
                numbers.append(value)

    in_threads(count, 8)

    assert sorted(numbers) == list(range(1, 201))
