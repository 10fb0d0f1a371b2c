"""The bench serves the production settings: they must pass the production start-up checks
(a check added for production once stopped ``make bench`` at its first command)."""

import os

from tests.process_support import python_run

CHECK = """
from bench.run import environment
environment("sqlite:///{database}")
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check"])
"""


def test_the_bench_settings_pass_the_production_checks(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in ("APP_ENV", "DATABASE_URL")
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    done = python_run("-c", CHECK.format(database=tmp_path / "bench.sqlite3"), env=env)

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
