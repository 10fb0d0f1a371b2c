"""``make bench``: the hot paths side by side on one gunicorn sync worker and PostgreSQL.

Each path gets a warm-up, a run at full speed (wrk, ``--connections`` connections), and a
run at half that rate (each connection pauses between requests) for the p99 a deployment
sees when it is not saturated. Every rate is also given as a ratio to the no-op view
measured in the same run, which is what the targets use: on a shared machine absolute
numbers move with the neighbours, ratios much less.
"""

import argparse
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/pancake_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="each timed run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--only", default="", help="comma-separated path names")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument(
        "--compare",
        action="store_true",
        help="a fresh (empty) database, then the same after seeding a large one, side by side",
    )
    parser.add_argument("--large", action="store_true", help="seed the large database first")
    parser.add_argument("--scale", type=float, default=1.0, help="of the large database")
    parser.add_argument("--fresh", action="store_true", help="drop the bench database first")
    args = parser.parse_args(argv)
    if args.output is None:
        name = "compare" if args.compare else "last-run-large" if args.large else "last-run"
        args.output = VAR / f"{name}.json"
    return args


def environment(database_url: str) -> None:
    """What the server, the migrations and this process share: the same settings."""
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = database_url or DEFAULT_DATABASE
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("VAR_DIR", str(VAR))
    # Shared state in Redis, as a deployment of more than one process keeps it (the README):
    # rate-limit counters and seen signatures then cost no SQL. BENCH_REDIS_URL= (empty)
    # measures the database-only store instead.
    os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    for name in ("test", "prod"):
        key = VAR / f"webhook-{name}.pem"
        if not key.exists():
            key.write_text(_private_pem())
        os.environ.setdefault(f"WEBHOOK_SIGNING_KEY_FILE_{name.upper()}", str(key))


def _private_pem() -> str:
    from core.signing import generate_key_pair

    return generate_key_pair(bits=2048)[0]


def ensure_database(*, fresh: bool = False) -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True
    )


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--workers=1",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/noop", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def measured(args) -> dict:
    from bench import paths

    server = start_server(args.port)
    try:
        return paths.measure_all(args)
    finally:
        server.terminate()
        server.wait(timeout=30)


def seeded(args) -> dict:
    from bench import fixtures, paths, seed

    started = time.monotonic()
    print(f"seeding the large database (scale {args.scale}) …", flush=True)
    sizes = seed.seed_large(fixtures.prepare(key_file=paths.load_key_file()), scale=args.scale)
    sizes["seconds"] = round(time.monotonic() - started, 1)
    print(f"seeded in {sizes['seconds']} s", flush=True)
    return sizes


def main(argv: list[str]) -> int:
    args = arguments(argv)
    environment(args.database_url)
    sys.path.insert(0, str(ROOT))
    ensure_database(fresh=args.fresh or args.compare)
    if args.fresh or args.compare:
        (VAR / "merchant-test-key.pem").unlink(missing_ok=True)  # its key row is gone
    import django

    django.setup()
    from bench import report

    if args.compare:
        empty = measured(args)
        sizes = seeded(args)
        report.compare(empty, measured(args), sizes, args)
        return 0
    sizes = seeded(args) if args.large else None
    results = measured(args)
    if sizes:
        results["seeded"] = sizes
    report.show(results, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
