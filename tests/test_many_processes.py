"""Many processes, one truth: four gunicorn web processes and two real workers on
PostgreSQL, hit at once, keep rate limits, idempotency and exactly-once payment as one
process would. (Replay refusal joins these with the hardening work that adds it.)"""

import json
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection

from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus, SandboxCharge
from stores.models import Store
from tests.checkout_factories import make_session
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.fuzz_support import SignedRequestAuth
from tests.keys import TEST_KEY_PAIR
from tests.process_support import background_workers, gunicorn
from tests.webhook_support import Receiver, endpoint_for, start_receiver
from webhooks.models import WebhookDelivery

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WEB_PROCESSES = 4
WORKERS = 2
BUDGET = 40
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real row locks, several writers)")


def at_once(count: int, call) -> list:
    """``call(i)`` from ``count`` threads released together; every result (or exception)."""
    barrier = threading.Barrier(count)

    def run(index: int):
        barrier.wait(timeout=30)
        try:
            return call(index)
        except Exception as exc:  # reported by the caller's assertions, never swallowed
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_the_browser_rate_limit_is_one_budget_across_web_processes(store):
    # A day-long window: the budget cannot reset in the middle of the burst.
    with gunicorn(workers=WEB_PROCESSES, BROWSER_API_RATE=f"{BUDGET}/day") as base_url:

        def preview(_: int) -> int:
            return requests.post(
                f"{base_url}/v1/actions/checkout/preview-tax",
                json={"checkoutSessionId": "cs_unknown"},
                headers={"X-Store-Slug": store.slug, "X-Environment": "test"},
                timeout=60,
            ).status_code

        statuses = Counter(at_once(24, preview) + at_once(24, preview) + at_once(24, preview))

    assert set(statuses) <= {404, 429}, statuses
    assert statuses[404] == BUDGET  # per process it would have been 4 x 40


def test_one_idempotency_key_makes_one_store_across_web_processes():
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    auth = SignedRequestAuth(merchant.public_id, TEST_KEY_PAIR[0])
    with gunicorn(workers=WEB_PROCESSES) as base_url:

        def create(_: int) -> requests.Response:
            return requests.post(
                f"{base_url}/v1/actions/store/create-store",
                data=json.dumps({"name": "Exactly once"}),
                headers={"Content-Type": "application/json", "X-Idempotency-Key": "one-store"},
                auth=auth,
                timeout=60,
            )

        answers = at_once(16, create)
        retry = create(0)  # after the burst: the kept answer, replayed

    assert not [a for a in answers if isinstance(a, Exception)]
    # The first answer or its replay; a repeat while the first is in flight is a 409.
    assert {a.status_code for a in answers} <= {200, 409}
    ids = {a.json()["data"]["store"]["id"] for a in answers if a.status_code == 200}
    assert Store.objects.filter(memberships__merchant=merchant).count() == 1
    assert ids <= {Store.objects.get(memberships__merchant=merchant).public_id}
    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"


def _pay_form(token: str) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "email": "racer@example.com",
        "country": "DE",
        "postcode": "10115",
        "card_number": "4242424242424242",
        "card_expiry": "12/40",
        "card_cvc": "123",
    }


def test_one_charge_and_one_webhook_with_four_web_processes_and_two_workers():
    merchant = MerchantFactory()
    store = StoreFactory(owner=merchant)
    session = make_session(product=ProductFactory(store=store))
    receiver = start_receiver(Receiver())
    endpoint_for(store, receiver.url)
    path = f"/store/{store.slug}/checkout/{session.public_id}"

    with gunicorn(workers=WEB_PROCESSES) as base_url, background_workers(WORKERS):
        browsers = []
        for _ in range(12):
            browser = requests.Session()
            page = browser.get(base_url + path, timeout=30)
            browsers.append((browser, CSRF.search(page.text)[1]))

        def submit(index: int) -> int:
            browser, token = browsers[index]
            return browser.post(
                base_url + path + "/pay",
                data=_pay_form(token),
                headers={"Referer": base_url + path},
                allow_redirects=False,
                timeout=60,
            ).status_code

        statuses = Counter(at_once(len(browsers), submit))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not receiver.received:
            time.sleep(0.2)
        time.sleep(2)  # time enough for a second (wrong) delivery by the other worker
    receiver.server.shutdown()

    assert set(statuses) <= {303, 409}, statuses
    order = Order.objects.get(checkout_session_id=session.pk)
    assert order.status == OrderStatus.COMPLETED
    assert Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).count() == 1
    assert SandboxCharge.objects.count() == 1
    completed = [json.loads(r.body) for r in receiver.received]
    assert [(body["eventType"], body["data"]["orderId"]) for body in completed] == [
        ("order.completed", order.public_id)
    ]
    assert WebhookDelivery.objects.get().attempts == 1
