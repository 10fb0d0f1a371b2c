import pytest
from django.core.cache import cache

from core.api.throttles import BrowserCredentialThrottle

PATH = "/v1/actions/checkout/preview-tax"


@pytest.fixture
def three_per_minute(monkeypatch):
    cache.clear()
    monkeypatch.setattr(BrowserCredentialThrottle, "rate", "3/min", raising=False)
    yield
    cache.clear()


def test_browser_credentials_are_rate_limited_per_client(client, store, three_per_minute):
    headers = {"X-Store-Slug": store.slug, "X-Environment": "test"}
    statuses = [
        client.post(PATH, {}, content_type="application/json", headers=headers).status_code
        for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_signed_merchant_calls_are_not_throttled_by_the_browser_budget(
    api, store, three_per_minute
):
    path = "/v1/actions/store/update-store"
    statuses = [api.post(path, {"id": store.public_id}).status_code for _ in range(5)]
    assert statuses == [200] * 5
