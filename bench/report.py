"""The table ``make bench`` prints, and the JSON it keeps of the run."""

import json
import os
import platform
import time
from pathlib import Path

from django.db import connection


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "postgres": postgres,
        "kernel": platform.release(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def table(results: dict) -> str:
    paths = results["paths"]
    noop = next(p for p in paths if p["name"] == "no-op")["full"]["rate"]
    header = (
        f"{'path':<20} {'req/s':>8} {'x no-op':>8} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'half req/s':>10} {'p99@half':>9} {'SQL/req':>8} {'errors':>7}"
    )
    rows = [header, "-" * len(header)]
    for path in paths:
        full, half = path["full"], path["half"]
        flag = (
            " (requests repeated)"
            if path["unique"] and (full["wrapped"] or half["wrapped"])
            else ""
        )
        rows.append(
            f"{path['name']:<20} {full['rate']:>8.1f} {full['rate'] / noop:>7.2f}x"
            f" {full['p50_ms']:>8.1f} {full['p99_ms']:>8.1f} {half['rate']:>10.1f}"
            f" {half['p99_ms']:>9.1f} {path['statements']:>8} {full['errors'] + half['errors']:>7}"
            f"{flag}"
        )
    weight = results["page_weight"]
    rows.append("")
    rows.append(
        f"hosted page: {weight['html']} bytes of HTML + {len(weight['assets'])} assets"
        f" ({', '.join(weight['assets'])}) = {weight['total']} bytes"
        f" ({weight['total_gzip']} gzipped)"
    )
    return "\n".join(rows)


def show(results: dict, args) -> None:
    results["machine"] = machine()
    results["when"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    results["settings"] = {"seconds": args.seconds, "connections": args.connections}
    text = table(results)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    args.output.with_suffix(".txt").write_text(text + "\n")
    print(f"\n{results['machine']}\nkept in {args.output}")


def compare(empty: dict, large: dict, sizes: dict, args) -> None:
    """Each path on the large database as a share of its speed on the empty one."""
    results = {"empty": empty, "large": large, "seeded": sizes}
    results["machine"] = machine()
    results["when"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    print("empty database:\n" + table(empty) + "\n")
    print(f"large database ({sizes}):\n" + table(large) + "\n")
    before = {p["name"]: p for p in empty["paths"]}
    noop_before = before["no-op"]["full"]["rate"]
    noop_after = next(p for p in large["paths"] if p["name"] == "no-op")["full"]["rate"]
    rows = [f"{'path':<20} {'large/empty':>12} {'same, per no-op':>16} {'SQL empty/large':>16}"]
    for path in large["paths"]:
        old = before[path["name"]]
        raw = path["full"]["rate"] / old["full"]["rate"]
        relative = raw / (noop_after / noop_before)
        rows.append(
            f"{path['name']:<20} {raw:>11.2f}x {relative:>15.2f}x"
            f" {old['statements']:>8}/{path['statements']:<7}"
        )
    text = "\n".join(rows)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    args.output.with_suffix(".txt").write_text(text + "\n")
    print(f"\nkept in {args.output}")
