"""Driving the server: wrk with ``requests.lua`` for timed runs, one plain request for the
SQL statement count, and the hosted page's weight with its assets."""

import gzip
import http.client
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

LUA = Path(__file__).with_name("requests.lua")
_ASSET = re.compile(r'(?:src|href)="(/static/[^"?#]+)')


@dataclass
class Run:
    rate: float  # requests per second
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors
    wrapped: int  # times the request list started over (requests repeated)


def wrk(
    *, port: int, lines_file: Path, seconds: float, connections: int, delay_ms: float = 0
) -> Run:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {
            "BENCH_REQUESTS": str(lines_file),
            "BENCH_OUT": out.name,
            "BENCH_DELAY_MS": f"{delay_ms:.3f}",
            "PATH": "/usr/bin:/bin:/usr/local/bin",
        }
        finished = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{round(seconds)}s",
                "--timeout",
                "10s",
                "-s",
                str(LUA),
                f"http://127.0.0.1:{port}",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if finished.returncode != 0:
            raise RuntimeError(f"wrk failed: {finished.stdout}{finished.stderr}")
        summary = json.loads(Path(out.name).read_text())
    return Run(
        rate=summary["requests"] / (summary["duration_us"] / 1e6),
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        requests=summary["requests"],
        errors=summary["status_errors"] + summary["socket_errors"],
        wrapped=summary["wrapped"],
    )


def parse_line(line: str) -> tuple[str, str, dict, str]:
    method, path, headers, body = line.split("\t", 3)
    pairs = (pair.split(": ", 1) for pair in headers.split("\x1f") if pair)
    return method, path, dict(pairs), body


def one_request(*, port: int, line: str, count: bool = True) -> tuple[int, int, bytes]:
    """(status, SQL statements, body) of one request, redirects not followed."""
    method, path, headers, body = parse_line(line)
    if count:
        headers["X-Bench-Count"] = "1"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body.encode() or None, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, int(response.getheader("X-Bench-Statements", "-1")), content
    finally:
        connection.close()


def page_weight(html: bytes) -> dict:
    """Bytes of the page and of the static assets it links (as a proxy would serve them
    from STATIC_ROOT), raw and gzipped."""
    assets = sorted(set(_ASSET.findall(html.decode())))
    raw, packed = len(html), len(gzip.compress(html))
    found = []
    for url in assets:
        path = finders.find(url.removeprefix("/" + settings.STATIC_URL.strip("/") + "/"))
        if path is None:
            continue
        data = Path(path).read_bytes()
        found.append(url)
        raw += len(data)
        packed += len(gzip.compress(data))
    return {"html": len(html), "assets": found, "total": raw, "total_gzip": packed}
