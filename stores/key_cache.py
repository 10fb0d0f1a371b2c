"""The API keys that may verify a merchant's signatures, kept a few seconds per process.

Every signed request needs them, and reading them was one of create-session's three
statements (issue 18). A change made through the services (a key added or revoked) takes
effect at once: it bumps the merchant's version in the shared cache (Redis when
``REDIS_URL`` is set, so every process sees it), and a process whose copy carries another
version reads the keys again. A change made any other way (a merchant deactivated in the
admin, a row edited by hand) takes effect within ``API_KEY_CACHE_SECONDS``.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
MAX_MERCHANTS = 10_000  # a process keeps at most this many merchants' keys
_entries: dict[uuid.UUID, tuple[float, int | None, list]] = {}
_lock = threading.Lock()


def _version_key(merchant_id: uuid.UUID) -> str:
    return f"api-keys:{merchant_id}"


def _version(merchant_id: uuid.UUID) -> int | None:
    """None when the shared cache does not answer: the copy then lives out its seconds."""
    try:
        return cache.get(_version_key(merchant_id), 0)
    except Exception:
        logger.warning("Shared cache unavailable; API keys cached by time only", exc_info=True)
        return None


def cached_keys(*, merchant_id: uuid.UUID, load: Callable[[], list]) -> list:
    seconds = settings.API_KEY_CACHE_SECONDS
    if seconds <= 0:
        return load()
    now = time.monotonic()
    version = _version(merchant_id)
    entry = _entries.get(merchant_id)
    if entry is not None and entry[0] > now and (version is None or entry[1] == version):
        return list(entry[2])
    keys = load()
    with _lock:
        if len(_entries) >= MAX_MERCHANTS:
            _entries.clear()
        _entries[merchant_id] = (now + seconds, version, keys)
    return list(keys)


def keys_changed(*, merchant_id: uuid.UUID) -> None:
    """After the change commits (before, another process could cache the old keys under
    the new version): this process forgets them, every other one sees a new version."""
    transaction.on_commit(lambda: _invalidate(merchant_id), robust=True)


def _invalidate(merchant_id: uuid.UUID) -> None:
    _entries.pop(merchant_id, None)
    key = _version_key(merchant_id)
    try:
        if not cache.add(key, 1, timeout=None):
            cache.incr(key)
    except Exception:
        logger.warning("Could not bump API key version of %s", merchant_id, exc_info=True)
