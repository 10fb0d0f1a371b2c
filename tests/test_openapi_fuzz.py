"""schemathesis against a live gunicorn server, every operation of /v1/openapi.json:
no server errors and no answer the description does not allow, over 2,000+ requests.

PostgreSQL: the server shares the test database (seeded here). SQLite: the server gets a
database file of its own, migrated and seeded by ``python -m tests.fuzz_seed``.
"""

import json
import subprocess
import sys

import pytest
import requests
import schemathesis
from django.db import connection

from tests.fuzz_seed import seed
from tests.fuzz_support import Credentials, Run, closed
from tests.process_support import ROOT, gunicorn, process_env

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 60
MINIMUM_REQUESTS = 2000
CLIENT_THREADS = 2


@pytest.fixture
def live(tmp_path):
    """(base URL, seeded data) of a gunicorn server with its database seeded."""
    if connection.vendor == "postgresql":
        seeded, env = seed(), {}
    else:
        env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fuzz.sqlite3'}"}
        done = subprocess.run(
            [sys.executable, "-m", "tests.fuzz_seed"],
            cwd=ROOT,
            env=process_env(**env),
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        seeded = json.loads(done.stdout)
    # SQLite: one process (one writer). PostgreSQL: two, keeping their connections.
    if connection.vendor == "postgresql":
        workers, env = 2, {**env, "DB_CONN_MAX_AGE": "60"}
    else:
        workers = 1
    with gunicorn(workers=workers, **env) as base_url:
        yield base_url, seeded


def test_every_operation_holds_to_the_description(live):
    base_url, seeded = live
    raw = requests.get(f"{base_url}/v1/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(closed(raw))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(item) for item in raw["paths"].values())

    run = Run(Credentials(base_url, seeded))
    run.exercise_all(operations, examples=EXAMPLES_PER_OPERATION, threads=CLIENT_THREADS)

    report = "\n\n".join(f"{key}\n{detail}" for key, detail in list(run.failures.items())[:15])
    assert run.failures == {}, f"{len(run.failures)} distinct failures:\n\n{report}"
    assert run.requests >= MINIMUM_REQUESTS, sorted(run.statuses.items())
    # The seeded objects were reached: answers of every kind were checked, successes too.
    assert sum(n for (_, status), n in run.statuses.items() if status == 200) >= 200
