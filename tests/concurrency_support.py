"""Real threads released at once against PostgreSQL, for the exactly-once tests."""

import threading
from collections.abc import Callable

from django.db import connection


def race(
    target: Callable[[int], object],
    count: int,
    *,
    on_error: Callable[[int, BaseException], object] = lambda index, exc: exc,
) -> list:
    """Run ``target(index)`` on ``count`` threads released together; each closes its DB
    connection when done. Returns what the targets returned (or ``on_error``'s record of
    what they raised), in completion order."""
    barrier = threading.Barrier(count)
    results: list = []
    lock = threading.Lock()

    def run(index: int):
        try:
            barrier.wait(timeout=30)
            result = target(index)
        except BaseException as exc:  # reported in the results, never swallowed
            result = on_error(index, exc)
        finally:
            connection.close()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results
