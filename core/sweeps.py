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


_sweeps: dict[str, Sweep] = {}


def register_sweep(name: str, *, every_seconds: float, run: Callable[[], object]) -> None:
    _sweeps[name] = Sweep(name, every_seconds, run)


def registered_sweeps() -> list[Sweep]:
    return list(_sweeps.values())
