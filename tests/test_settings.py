"""Production defaults: nothing insecure unless the environment asks for it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.keys import STRONG_SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; "
            "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.PARTNER_COOKIE_SECURE)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_defaults_are_safe():
    result = load_settings(
        DJANGO_SECRET_KEY=STRONG_SECRET_KEY, DATABASE_URL="sqlite:////tmp/unused.db"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False [] True True"


@pytest.mark.parametrize("key", ["short-key", "x" * 64, "abcd" * 20])
def test_production_refuses_a_weak_secret_key(key):
    result = load_settings(DJANGO_SECRET_KEY=key, DATABASE_URL="sqlite:////tmp/unused.db")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be at least 50 characters" in result.stderr


def test_development_runs_without_a_secret_key():
    result = load_settings(APP_ENV="development", DATABASE_URL="sqlite:////tmp/unused.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False False")  # plain-http cookies for local runs


def test_the_embedded_database_takes_its_write_lock_up_front(tmp_path):
    """The web server and the worker share the SQLite file of ``make run``: a deferred
    transaction that read, then wrote, failed at once with "database is locked" when the
    other process had written meanwhile (a payment's record step did, in a walk-through)."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; o = s.DATABASES['default']['OPTIONS']; "
            "print(o['transaction_mode'], o['timeout'])",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV"))},
            "APP_ENV": "development",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IMMEDIATE", "20"]
