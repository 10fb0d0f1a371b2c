"""Running the interop scripts in tests/sdk with node: the official SDK against a live
server, one JSON object back per script."""

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

SDK_DIR = Path(__file__).resolve().parent / "sdk"
SDK_PACKAGE = SDK_DIR / "node_modules" / "@waffo" / "pancake-ts" / "package.json"


def sdk_runner(*, base_url: str, merchant_id: str, key_file: Path) -> Callable[..., dict]:
    """``run("script.mjs", EXTRA=...)`` → the script's JSON output. Fails (never skips)
    when node or the SDK is missing: CI installs both."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: the SDK interop tests need Node.js 20+")
    if not SDK_PACKAGE.is_file():
        pytest.fail(
            "@waffo/pancake-ts is not installed in tests/sdk/node_modules: "
            "run `npm ci --prefix tests/sdk`"
        )

    def run(script: str, **extra_env: str) -> dict:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "BASE_URL": base_url,
            "MERCHANT_ID": merchant_id,
            "PRIVATE_KEY_FILE": str(key_file),
            **extra_env,
        }
        completed = subprocess.run(
            [node, str(SDK_DIR / script)],
            cwd=SDK_DIR,
            env=env,
            timeout=120,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            pytest.fail(
                f"node {script} exited with {completed.returncode}\n"
                f"stdout:\n{completed.stdout}\nstderr:\n{completed.stderr}"
            )
        return json.loads(completed.stdout)

    return run
