"""Browser-credential rate limits, counted where every process sees them (the database, or
Redis when REDIS_URL is set): exact under concurrency, across threads and processes."""

import threading
import time
import uuid

import pytest
import requests
from django.db import connection

from core.models import RateCounter
from core.rate_limits import Rate, rate_counters_prune, rate_limit_hit
from tests.process_support import gunicorn

PATH = "/v1/actions/checkout/preview-tax"


@pytest.fixture
def three_per_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"browser": "3/min"},
    }


def _preview(client, store):
    headers = {"X-Store-Slug": store.slug, "X-Environment": "test"}
    return client.post(PATH, {}, content_type="application/json", headers=headers)


def test_browser_credentials_are_rate_limited_per_client(client, store, three_per_minute):
    responses = [_preview(client, store) for _ in range(4)]

    assert [r.status_code for r in responses] == [400, 400, 400, 429]
    assert responses[-1].json()["errors"][0]["message"] == "Too many requests"
    assert 1 <= int(responses[-1]["Retry-After"]) <= 60


def test_signed_merchant_calls_are_not_throttled_by_the_browser_budget(
    api, store, three_per_minute
):
    path = "/v1/actions/store/update-store"
    statuses = [api.post(path, {"id": store.public_id}).status_code for _ in range(5)]
    assert statuses == [200] * 5


@pytest.mark.parametrize(
    ("text", "rate"),
    [("300/min", Rate(300, 60)), ("10/s", Rate(10, 1)), (" 5 / day ", Rate(5, 86400))],
)
def test_rates_are_read_like_drf_rates(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["", "300", "300/fortnight", "-1/min"])
def test_anything_else_is_not_a_rate(text):
    with pytest.raises(ValueError, match="Not a rate"):
        Rate.parse(text)


@pytest.mark.django_db
def test_windows_start_afresh_and_old_ones_are_pruned():
    rate = Rate(2, 60)
    start = 1_800_000_000  # a window boundary

    first = [rate_limit_hit(key="k", rate=rate, now=start + i).allowed for i in range(3)]
    next_window = rate_limit_hit(key="k", rate=rate, now=start + 60)

    assert first == [True, True, False]
    assert next_window.allowed and next_window.count == 1
    assert rate_counters_prune(now=start + 86400 + 60) == 1  # the first window only
    assert RateCounter.objects.get().window_start == start + 60


def _race(key: str, rate: Rate, hits: int) -> list[bool]:
    barrier = threading.Barrier(hits)
    verdicts: list[bool] = []
    lock = threading.Lock()

    def hit():
        try:
            barrier.wait(timeout=20)
            allowed = rate_limit_hit(key=key, rate=rate).allowed
            with lock:
                verdicts.append(allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(hits)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return verdicts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_requests_are_counted_exactly_in_the_database():
    verdicts = _race(f"race:{uuid.uuid4()}", Rate(5, 3600), 16)

    assert len(verdicts) == 16 and verdicts.count(True) == 5


@pytest.mark.django_db(transaction=True)
def test_racing_requests_are_counted_exactly_in_redis(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.RATE_LIMIT_STORE = "redis"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).ping()
    except Exception:
        pytest.fail(
            "Redis is not running on 127.0.0.1:6379 (.ci/run starts it: redis-server from Debian)"
        )

    verdicts = _race(f"race:{uuid.uuid4()}", Rate(5, 3600), 16)

    assert len(verdicts) == 16 and verdicts.count(True) == 5
    assert not RateCounter.objects.exists()  # counted in Redis, not the database


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_web_processes_share_one_budget(store):
    """With a per-process memory, four gunicorn workers let through four times the limit."""
    with gunicorn(workers=4, BROWSER_API_RATE="10/hour") as base_url:
        headers = {"X-Store-Slug": store.slug, "X-Environment": "test"}
        statuses = []
        for _ in range(30):
            answer = requests.post(base_url + PATH, json={}, headers=headers, timeout=30)
            statuses.append(answer.status_code)
            time.sleep(0.01)

    assert statuses.count(429) == 20
    assert statuses[:10] == [400] * 10  # the preview itself refuses the empty body
