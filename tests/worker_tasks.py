"""Tasks for the worker tests: each run leaves one line in a file, so a task that ran twice
shows up as a duplicate line."""

import os

from django.tasks import task


@task
def note_run(path: str, number: int) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{number} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    return number
