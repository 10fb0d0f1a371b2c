"""Kept PostgreSQL connections (core.db.postgresql): checked before a request unless it was
used soundly within the bypass window, and a connection the server dropped while idle, or
after an error, is replaced, never an error."""

import time

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError, ProgrammingError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WINDOW = 30  # seconds: wide, so that no assertion depends on how fast the machine is


@pytest.fixture
def kept():
    """A connection of its own, kept across requests as in production (CONN_MAX_AGE 60)."""
    settings_dict = {
        **connection.settings_dict,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "HEALTH_CHECK_BYPASS": WINDOW,
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


def idle_past_the_window(wrapper):
    wrapper.used_at -= WINDOW + 1


def drop(wrapper) -> int:
    """The server ends the connection's backend, as a restart or an idle timeout would."""
    pid = wrapper.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    return pid


def test_a_connection_in_steady_use_is_not_checked_before_each_request(kept):
    for _ in range(3):
        request(kept)

    assert kept.checks == []


def test_a_connection_idle_past_the_window_is_checked_first(kept):
    request(kept)
    idle_past_the_window(kept)
    request(kept)
    request(kept)

    assert len(kept.checks) == 1  # before the second request only


def test_a_connection_dropped_while_idle_is_replaced_not_an_error(kept):
    request(kept)
    dropped = drop(kept)
    idle_past_the_window(kept)

    assert request(kept) == 2
    assert kept.connection.info.backend_pid != dropped


def test_inside_the_window_a_drop_fails_one_request_and_the_next_recovers(kept):
    request(kept)
    dropped = drop(kept)

    with pytest.raises(OperationalError):
        request(kept)

    assert request(kept) == 2
    assert kept.connection.info.backend_pid != dropped


def test_after_an_error_the_next_request_checks_however_soon(kept):
    with pytest.raises(ProgrammingError):
        request(kept, "SELECT no_such_column")
    dropped = drop(kept)

    assert request(kept) == 2
    assert kept.connection.info.backend_pid != dropped


def test_a_window_of_zero_checks_before_every_request(kept):
    kept.health_check_bypass = 0
    for _ in range(3):
        request(kept)

    assert len(kept.checks) == 2
