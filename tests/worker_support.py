"""Running the real background worker inside a test: every sweep, then the task queue."""

from core.worker import Worker


def run_worker() -> int:
    """What ``python manage.py worker --once`` does; how many queued tasks ran."""
    return Worker().run_once()
