"""The one background worker: Django's task queue (django-tasks-db) and the sweeps.

Any number of workers may run against one database: a task is claimed by one of them
under a row lock (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, an exclusive
transaction on SQLite), and every sweep locks or leases the rows it works on.
"""

import logging
import threading
import time

from django.db import close_old_connections
from django.tasks import task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker

from core.sweeps import Sweep, registered_sweeps

logger = logging.getLogger("core.worker")


class Worker:
    def __init__(self, *, interval: float = 1.0, worker_id: str | None = None):
        self.interval = interval
        self.worker_id = worker_id or get_random_string(32)
        self.stopping = threading.Event()
        self._last_run: dict[str, float] = {}
        self._queue = (
            QueueWorker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=self.worker_id,
                excluded_queue_names=[],
            )
            if isinstance(task_backends["default"], DatabaseBackend)
            else None
        )

    def stop(self) -> None:
        """Finish the task or sweep at hand, then leave (SIGTERM, Ctrl-C)."""
        self.stopping.set()
        if self._queue is not None:
            self._queue.running = False

    def run(self) -> None:
        logger.info("Worker %s started", self.worker_id)
        while not self.stopping.is_set():
            close_old_connections()
            self.run_sweeps()
            ran = self.drain_queue()
            close_old_connections()
            if not ran:
                self.stopping.wait(self.interval)
        logger.info("Worker %s stopped", self.worker_id)

    def run_once(self) -> int:
        """Every sweep now, then the queue until it is empty (tests, cron, drills)."""
        self.run_sweeps(force=True)
        return self.drain_queue()

    def run_sweeps(self, *, force: bool = False) -> None:
        for sweep in registered_sweeps():
            if self.stopping.is_set():
                return
            last = self._last_run.get(sweep.name)
            if force or last is None or time.monotonic() - last >= sweep.every_seconds:
                self._run_sweep(sweep)

    def _run_sweep(self, sweep: Sweep) -> None:
        self._last_run[sweep.name] = time.monotonic()
        try:
            done = sweep.run()
        except Exception:
            logger.exception("Sweep %s failed; it runs again on schedule", sweep.name)
            return
        if done:
            logger.info("Sweep %s: %s", sweep.name, done)

    def drain_queue(self) -> int:
        """Run ready tasks until none is left; how many ran."""
        if self._queue is None or self.stopping.is_set():
            return 0
        self._queue.running = True
        before = self._queue._run_tasks
        self._queue.run()
        return self._queue._run_tasks - before
