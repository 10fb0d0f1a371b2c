"""Periodic work the worker runs beside its task queue (reconcile payments, expire
sessions, dispatch due events, …), registered explicitly by the apps at start-up.

Every sweep must be safe to run in several workers at once and to run late or twice: each
takes its rows with row locks (or leases) and skips what another worker holds.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sweep:
    name: str
    every_seconds: float
    run: Callable[[], object]
    # Lower runs first in a round; event dispatch runs last so that the events the other
    # sweeps recorded in this round go out in the same round.
    order: int = 100


_sweeps: dict[str, Sweep] = {}


def register_sweep(
    name: str, *, every_seconds: float, run: Callable[[], object], order: int = 100
) -> None:
    _sweeps[name] = Sweep(name, every_seconds, run, order)


def registered_sweeps() -> list[Sweep]:
    return sorted(_sweeps.values(), key=lambda sweep: sweep.order)
