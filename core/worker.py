"""The one background worker: Django's task queue (django-tasks-db) and the sweeps.

Any number of workers may run against one database: a task is claimed by one of them
under a row lock (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, an exclusive
transaction on SQLite), and every sweep locks or leases the rows it works on.
"""

import logging
import threading
import time

from django.db import OperationalError, close_old_connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from core.events import events_dispatch_due
from core.sweeps import Sweep, registered_sweeps

logger = logging.getLogger("core.worker")


class Worker:
    def __init__(self, *, interval: float = 1.0, worker_id: str | None = None):
        self.interval = interval
        self.worker_id = worker_id or get_random_string(32)
        self.stopping = threading.Event()
        self._last_run: dict[str, float] = {}
        self._round_started = time.monotonic()
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
        """Every sweep now, then the queue until it is empty, and on while the tasks and
        handlers that ran recorded events or queued work (tests, cron, drills); how many
        tasks ran."""
        self.run_sweeps(force=True)
        total = self.drain_queue()
        while True:
            dispatched = events_dispatch_due()
            ran = self.drain_queue()
            total += ran
            if not (dispatched or ran):
                return total

    def run_sweeps(self, *, force: bool = False) -> None:
        self._round_started = time.monotonic()
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
        """Run ready tasks until none is left (or the worker is told to stop); how many ran.

        Each task is claimed in its own short transaction, as django-tasks-db's own worker
        claims it, and then run outside it by that worker's ``run_task``, which records
        success or failure on the task row."""
        ran = 0
        while self._queue is not None and not self.stopping.is_set():
            claimed = self._claim_next()
            if claimed is None:
                break
            self._queue.run_task(claimed)
            ran += 1
            if time.monotonic() - self._round_started >= self.interval:
                # A long queue (deliveries to a slow endpoint, say) must not hold up what
                # runs every round: the outbox above all, whose events start receipts and
                # subscriptions.
                self.run_sweeps()
        return ran

    def _claim_next(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
        try:
            with exclusive_transaction(ready.db):
                claimed = ready.get_locked()
                if claimed is not None:
                    claimed.claim(self.worker_id)
                return claimed
        except OperationalError as exc:
            if is_locked_database_exception(exc):  # SQLite busy: try on the next round
                return None
            raise
