"""The measured paths, each as a way to make ``count`` requests of it, and how one path is
measured: warm-up, full speed, half speed, statements of one request."""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import fixtures, load

WARM_SECONDS = 2.0
WARM_UNIQUE = {"pay": 120}  # sessions are slower to make than signatures
WARM_SIGNED = 300


@dataclass
class BenchPath:
    name: str
    lines: Callable[[int], list[str]]
    unique: bool  # every request must be its own (a signature, a session to pay)


def definitions(fixture: fixtures.Fixture) -> list[BenchPath]:
    session = fixtures.open_sessions(fixture, 1)[0]

    def now() -> int:
        return int(time.time())

    return [
        BenchPath("no-op", lambda n: ["GET\t/bench/noop\t\t"], unique=False),
        BenchPath(
            "create-session",
            lambda n: fixtures.create_session_lines(fixture, n, now()),
            unique=True,
        ),
        BenchPath("hosted page", lambda n: fixtures.page_lines(session), unique=False),
        BenchPath("preview-tax", lambda n: fixtures.preview_tax_lines(session), unique=False),
        BenchPath(
            "issue-session-token",
            lambda n: fixtures.issue_token_lines(fixture, n, now()),
            unique=True,
        ),
        BenchPath(
            "pay",
            lambda n: fixtures.pay_lines(fixtures.open_sessions(fixture, n)),
            unique=True,
        ),
        BenchPath(
            "graphql orders",
            lambda n: fixtures.graphql_lines(fixture, n, now()),
            unique=True,
        ),
        BenchPath("admin orders", lambda n: fixtures.admin_orders_lines(fixture), unique=False),
    ]


def measure(path: BenchPath, *, args, workdir: Path) -> dict:
    lines_file = workdir / f"{path.name.replace(' ', '-')}.lines"

    def run(count: int, seconds: float, delay_ms: float = 0) -> load.Run:
        fixtures.write(lines_file, path.lines(count if path.unique else 1))
        return load.wrk(
            port=args.port,
            lines_file=lines_file,
            seconds=seconds,
            connections=args.connections,
            delay_ms=delay_ms,
        )

    warm = run(WARM_UNIQUE.get(path.name, WARM_SIGNED), WARM_SECONDS)
    full = run(int(warm.rate * args.seconds * 1.5) + 50, args.seconds)
    # Each connection waits so that c connections together ask about half the full rate.
    delay_ms = (2 * args.connections - 1) / max(full.rate, 1) * 1000
    half = run(int(full.rate * args.seconds * 0.75) + 50, args.seconds, delay_ms)
    status, statements, _ = load.one_request(port=args.port, line=path.lines(1)[0])
    return {
        "name": path.name,
        "full": asdict(full),
        "half": asdict(half),
        "statements": statements,
        "status": status,
        "unique": path.unique,
    }


def measure_all(args) -> dict:
    fixture = fixtures.prepare(key_file=load_key_file())
    workdir = load_key_file().parent
    chosen = [p for p in definitions(fixture) if not args.only or p.name in _only(args)]
    results = []
    for path in chosen:
        _analyze()
        results.append(measure(path, args=args, workdir=workdir))
    page = fixtures.page_lines(fixtures.open_sessions(fixture, 1)[0])[0]
    _, _, html = load.one_request(port=args.port, line=page, count=False)
    return {"paths": results, "page_weight": load.page_weight(html)}


def _analyze() -> None:
    """Fresh planner statistics before each path, as autovacuum keeps them in a deployment:
    the pay runs add thousands of orders a minute, and the lists measured right after them
    ran on plans made for the empty tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _only(args) -> set[str]:
    return {"no-op", *(name.strip() for name in args.only.split(","))}


def load_key_file() -> Path:
    from bench.run import VAR

    return VAR / "merchant-test-key.pem"
