"""Exactly once across processes: four gunicorn web workers on PostgreSQL take many
simultaneous submissions of one checkout, and the card is charged once."""

import re
import threading
from collections import Counter

import pytest
import requests

from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus, SandboxCharge
from tests.checkout_factories import make_session
from tests.factories import ProductFactory
from tests.process_support import gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 12
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form(token: str) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": token,
        "email": "racer@example.com",
        "country": "DE",
        "postcode": "10115",
        "card_number": "4242424242424242",
        "card_expiry": "12/40",
        "card_cvc": "123",
    }


def test_simultaneous_submissions_to_four_web_processes_charge_once(store):
    session = make_session(product=ProductFactory(store=store))
    path = f"/store/{store.slug}/checkout/{session.public_id}"
    answers: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    with gunicorn(workers=4) as base_url:
        browsers = []
        for _ in range(SUBMISSIONS):
            browser = requests.Session()
            page = browser.get(base_url + path, timeout=30)
            assert page.status_code == 200
            browsers.append((browser, CSRF.search(page.text)[1]))
        barrier = threading.Barrier(SUBMISSIONS)

        def submit(browser: requests.Session, token: str) -> None:
            try:
                barrier.wait(timeout=30)
                answer = browser.post(
                    base_url + path + "/pay",
                    data=form(token),
                    headers={"Referer": base_url + path},
                    allow_redirects=False,
                    timeout=60,
                )
                with lock:
                    answers.append(answer.status_code)
            except Exception as exc:  # reported below, never swallowed
                with lock:
                    errors.append(repr(exc))

        threads = [threading.Thread(target=submit, args=pair) for pair in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)

    assert errors == []
    statuses = Counter(answers)
    # Paid (303 to the receipt) or told a payment is in progress (409); never an error.
    assert set(statuses) <= {303, 409}, statuses
    assert statuses[303] >= 1
    order = Order.objects.get(checkout_session_id=session.pk)
    assert order.status == OrderStatus.COMPLETED
    assert Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).count() == 1
    assert Payment.objects.filter(order=order).count() == 1
    assert SandboxCharge.objects.count() == 1
