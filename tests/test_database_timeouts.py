"""PostgreSQL's lock_timeout and statement_timeout (issue 17, finding 7): set on every
connection, and a request that runs into one (here: a row lock really held by another
connection) is answered "try again" in its dialect, never left hanging and never a 500."""

import threading
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from checkout.models import CheckoutSession
from core.api.errors import BUSY, TOO_SLOW
from stores.models import Store
from tests.browser_support import FUTURE_EXPIRY, checkout_path, make_product, make_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

UPDATE = "/v1/actions/store/update-store"


@contextmanager
def row_locked(model, pk):
    """Another connection holds ``SELECT … FOR UPDATE`` on the row while the block runs."""
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                model.objects.select_for_update().get(pk=pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=10)
    try:
        yield
    finally:
        release.set()
        holder.join(timeout=30)


@contextmanager
def session_settings(*statements: str):
    """Shorter timeouts on this test's connection; a new connection gets the settings' again."""
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        yield
    finally:
        connection.close()


def test_every_connection_gets_both_timeouts(settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute("SHOW statement_timeout")
        statement_timeout = cursor.fetchone()[0]

    assert (lock_timeout, statement_timeout) == ("5s", "30s")
    assert (settings.DB_LOCK_TIMEOUT_MS, settings.DB_STATEMENT_TIMEOUT_MS) == (5000, 30000)


def test_a_held_row_lock_is_a_409_in_the_envelope(api, store):
    with row_locked(Store, store.pk), session_settings("SET lock_timeout = '200ms'"):
        response = api.post(UPDATE, {"id": store.public_id, "name": "Renamed"})

    assert response.status_code == 409
    assert response.json() == {"data": None, "errors": [{"message": BUSY, "layer": "gateway"}]}
    assert response["Retry-After"] == "1"
    store.refresh_from_db()
    assert store.name != "Renamed"


def test_a_statement_that_runs_too_long_is_a_503_in_the_envelope(api, store):
    with (
        row_locked(Store, store.pk),
        session_settings("SET lock_timeout = 0", "SET statement_timeout = '200ms'"),
    ):
        response = api.post(UPDATE, {"id": store.public_id, "name": "Renamed"})

    assert response.status_code == 503
    assert response.json()["errors"][0]["message"] == TOO_SLOW
    assert response["Retry-After"] == "1"


def test_a_held_checkout_lock_is_a_503_page_on_the_hosted_page(client, merchant, store):
    session = make_session(merchant=merchant, product=make_product(store))
    form = {
        "email": "buyer@example.com",
        "country": "DE",
        "postcode": "10115",
        "card_number": "4242424242424242",
        "card_expiry": FUTURE_EXPIRY,
        "card_cvc": "123",
    }
    with row_locked(CheckoutSession, session.pk), session_settings("SET lock_timeout = '200ms'"):
        response = client.post(checkout_path(session) + "/pay", form)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "This page is busy" in response.content.decode()
    assert response["Retry-After"] == "1"
