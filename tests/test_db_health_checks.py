"""Kept PostgreSQL connections (core.db.postgresql): checked before a request unless the
previous request used them soundly within the bypass window, and a connection the server
dropped while idle is replaced, never an error."""

import time

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept():
    """A connection of its own, kept across requests as in production (CONN_MAX_AGE 60)."""
    settings_dict = {
        **connection.settings_dict,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "HEALTH_CHECK_BYPASS": 0.3,
    }
    wrapper = type(connections["default"])(settings_dict)
    checks = []
    usable = wrapper.is_usable

    def counted():
        checks.append(time.monotonic())
        return usable()

    wrapper.is_usable = counted
    wrapper.checks = checks
    yield wrapper
    wrapper.close()


def request(wrapper, sql="SELECT 2"):
    """What Django does around a request: close_old_connections before and after."""
    wrapper.close_if_unusable_or_obsolete()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        wrapper.close_if_unusable_or_obsolete()


def backend_pid(wrapper) -> int:
    return wrapper.connection.info.backend_pid


def test_a_connection_in_steady_use_is_not_checked_before_each_request(kept):
    request(kept)  # the first request opens the connection: nothing to check
    request(kept)

    assert kept.checks == []


def test_a_connection_idle_past_the_window_is_checked_first(kept):
    request(kept)
    time.sleep(0.4)
    request(kept)
    request(kept)

    assert len(kept.checks) == 1  # before the second request only


def test_a_connection_dropped_while_idle_is_replaced_not_an_error(kept):
    request(kept)
    dropped = backend_pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [dropped])
    time.sleep(0.4)

    assert request(kept) == 2
    assert backend_pid(kept) != dropped


def test_after_a_connection_error_the_next_request_checks_and_recovers(kept):
    request(kept)
    dropped = backend_pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [dropped])

    # Inside the window the drop reaches this one request, as it reaches those in flight.
    with pytest.raises(OperationalError):
        request(kept)

    assert request(kept) == 2
    assert backend_pid(kept) != dropped


def test_a_window_of_zero_checks_before_every_request(kept):
    kept.health_check_bypass = 0
    for _ in range(3):
        request(kept)

    assert len(kept.checks) == 2
