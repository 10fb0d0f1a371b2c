import os
import threading

import pytest

from payments.processors.sandbox import TestCardProcessor
from stores.models import Environment
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, CspWatcher, watched_page
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.keys import OTHER_KEY_PAIR, TEST_KEY_PAIR
from tests.plan_change_support import plan_at
from tests.signed_client import SignedClient


@pytest.fixture
def merchant(db):
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    return merchant


@pytest.fixture
def api(merchant):
    """A signed client for ``merchant``'s test-environment key."""
    return SignedClient(merchant.public_id, TEST_KEY_PAIR[0])


@pytest.fixture
def store(merchant):
    return StoreFactory(owner=merchant)


@pytest.fixture
def prod_api(merchant):
    """A signed client for ``merchant``'s prod-environment key."""
    ApiKeyFactory(merchant=merchant, environment=Environment.PROD, public_key=OTHER_KEY_PAIR[1])
    return SignedClient(merchant.public_id, OTHER_KEY_PAIR[0])


# Browser tests: one Debian Chromium per module, a fresh context per test, and a test fails
# when a page reported a Content-Security-Policy violation.


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread while it is
    # open, and Django refuses sync ORM calls under a running loop. Browser tests use the ORM
    # only between browser steps (the live server answers from its own thread), so the guard
    # is lifted while a module's browser is open, and restored afterwards.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def one_request_at_a_time(live_server, monkeypatch):
    """On SQLite, let the live server handle one request at a time.

    Its in-memory test database is ONE connection that Django hands to every request thread
    (``connections_override``). A browser or the SDK sends requests at once (a page and its
    script, ``Promise.all`` in ``checkout.authenticated.create``): they would interleave on
    that connection (a 401 that should be 200, "cannot start a transaction within a
    transaction"). On PostgreSQL each thread has its own connection, so requests stay truly
    concurrent there.
    """
    if not live_server.thread.connections_override:
        return
    httpd = live_server.thread.httpd
    application = httpd.get_app()
    lock = threading.Lock()

    def serialized(environ, start_response):
        # The lock also covers the body and close(): request_finished runs there, on the
        # same shared connection, and overlapping the next request gave "table is locked".
        with lock:
            result = application(environ, start_response)
            try:
                return list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()

    monkeypatch.setattr(httpd, "application", serialized)


@pytest.fixture
def site(live_server, one_request_at_a_time, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    return live_server.url


@pytest.fixture
def csp():
    return CspWatcher()


@pytest.fixture
def page(browser, csp):
    with watched_page(browser, csp) as page:
        yield page


@pytest.fixture
def charges(monkeypatch):
    """Every call that reaches the sandbox processor, as (idempotency key, card, amount)."""
    calls: list[tuple[str, str, int]] = []
    real_charge = TestCardProcessor.charge

    def counting(self, **kwargs):
        calls.append((kwargs["idempotency_key"], kwargs["card"].number, kwargs["amount_minor"]))
        return real_charge(self, **kwargs)

    monkeypatch.setattr(TestCardProcessor, "charge", counting)
    return calls


@pytest.fixture
def product(store):
    """A one-time product of the merchant's store, on sale in test."""
    return ProductFactory(store=store)


# Stripe tests: one localstripe server per test session (on a free port), and settings that
# point the test environment at it.


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    from tests.stripe_support import start_localstripe

    server, base = start_localstripe(tmp_path_factory.mktemp("localstripe"))
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def stripe_env(localstripe, settings):
    from tests.stripe_support import use_stripe

    use_stripe(settings, localstripe)
    return localstripe


@pytest.fixture
def many_payments(settings):
    """For a test that legitimately pays many times with one card and email: the velocity
    limits against card testing (payments.velocity) are lifted for it alone."""
    settings.PAYMENT_RATE_PER_IP = "100000/hour"
    settings.PAYMENT_RATE_PER_CARD = "100000/hour"
    settings.PAYMENT_RATE_PER_EMAIL = "100000/hour"


# SDK tests against a live server need committed rows (no wrapping transaction) so the
# server's thread sees them: a merchant with a test key, and a runner signed as it.


@pytest.fixture
def live_merchant(transactional_db):
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    return merchant


@pytest.fixture
def live_sdk(live_server, one_request_at_a_time, live_merchant, tmp_path):
    """``live_sdk("script.mjs", NAME=value)`` → the script's JSON output."""
    from tests.sdk_support import sdk_runner

    key_file = tmp_path / "merchant.pem"
    key_file.write_text(TEST_KEY_PAIR[0])
    return sdk_runner(
        base_url=live_server.url, merchant_id=live_merchant.public_id, key_file=key_file
    )


@pytest.fixture
def redis_stores(settings):
    """Shared state as a deployment at scale keeps it: the cache, the rate-limit counters and
    the seen signatures in Redis (database 15, emptied before and after), so a statement
    budget counts what PostgreSQL sees there."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (`make redis` starts it)")
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": url}}
    settings.RATE_LIMIT_STORE = "redis"
    settings.SIGNATURE_REPLAY_STORE = "redis"
    yield url
    client.flushdb()


# Plan changes: two monthly plans of ``store`` (USD and EUR at these amounts plus tax).


@pytest.fixture
def basic(store):
    return plan_at(store, "10.00", "Basic")


@pytest.fixture
def pro(store):
    return plan_at(store, "30.00", "Pro")
