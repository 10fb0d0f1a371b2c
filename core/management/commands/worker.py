"""``python manage.py worker``: all background work until SIGTERM or Ctrl-C."""

import signal

from django.core.management.base import BaseCommand

from core.worker import Worker


class Command(BaseCommand):
    help = (
        "Run the background worker: the task queue plus the periodic sweeps (reconcile "
        "pending payments, expire sessions, dispatch domain events). Several may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to sleep when idle (1)."
        )
        parser.add_argument(
            "--once", action="store_true", help="Run every sweep and the queue once, then exit."
        )
        parser.add_argument("--worker-id", default=None, help="Unique name in the worker pool.")

    def handle(self, *, interval, once, worker_id, verbosity, **options):
        worker = Worker(interval=interval, worker_id=worker_id)
        if once:
            ran = worker.run_once()
            if verbosity:
                self.stdout.write(f"Ran every sweep and {ran} task(s).")
            return
        signal.signal(signal.SIGTERM, lambda *_: worker.stop())
        signal.signal(signal.SIGINT, lambda *_: worker.stop())
        worker.run()
