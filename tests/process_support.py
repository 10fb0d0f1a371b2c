"""Real processes against the test database: gunicorn web workers and background workers.

They see what the test committed, so tests that use them need ``transaction=True``, and
PostgreSQL (SQLite's one writer would serialize them and prove nothing).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'] or 'postgres')}{password}@{host}:{port}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def python_run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``python *args`` from the project's root in a process of its own (settings are read
    once per process, so a start-up check under other settings needs a fresh one); its
    output captured as text, its exit status left for the test to judge."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port} after {timeout}s")


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


@contextmanager
def gunicorn(*, workers: int = 4, **env: str) -> Iterator[str]:
    """``workers`` gunicorn sync processes serving the project; yields the base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--timeout=60",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=process_env(PUBLIC_BASE_URL=base_url, **env),
    )
    try:
        _wait_for_port(port, process)
        yield base_url
    finally:
        stop(process)


def _wait_until_started(process: subprocess.Popen, timeout: float = 60) -> None:
    """Until the worker logs that it runs its loop (its signal handlers are set by then)."""
    deadline = time.monotonic() + timeout
    for line in process.stderr:
        if " started" in line and "Worker " in line:
            return
        if time.monotonic() > deadline:
            break
    raise TimeoutError(f"worker did not start (exit code {process.poll()})")


@contextmanager
def background_workers(count: int, *, interval: float = 0.1) -> Iterator[list[subprocess.Popen]]:
    """``count`` ``manage.py worker`` processes, running their loop when this yields;
    stopped with SIGTERM on leaving."""
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "worker", f"--interval={interval}", f"--worker-id=w{i}"],
            cwd=ROOT,
            env=process_env(LOG_LEVEL="INFO"),
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(count)
    ]
    try:
        for process in processes:
            _wait_until_started(process)
        # Keep reading their logs so a chatty worker never blocks on a full pipe.
        for process in processes:
            threading.Thread(target=process.stderr.read, daemon=True).start()
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
