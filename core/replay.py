"""Each signed request is used once: a second use of the same signature inside its window
is a replay. The official SDK's canonical string covers method, path, timestamp and body
only, so a captured request stays valid for the whole window unless someone remembers it.

Seen signatures are kept where every web process sees them: in Redis when ``REDIS_URL``
is set (one atomic ``SET NX`` with the window as its lifetime), else in the database (one
insert against a unique digest). The client's ``X-Idempotency-Key`` is kept with it, so a
retry that carries the same key is let through to be answered from the idempotency ledger;
the key is not signed, so any other key (or none) on a seen signature is a replay.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from core.models import SeenSignature


def signature_digest(*, signer: str, message: bytes) -> str:
    """What identifies one use: the key that signed (``signer``) and what it signed. RSA
    PKCS#1 v1.5 is deterministic, so this names the signature itself, whatever spelling
    of its base64 the client sent."""
    return hashlib.sha256(signer.encode() + b"\n" + message).hexdigest()


def signature_first_use(
    *, digest: str, idempotency_key: str, valid_until: int, now: float | None = None
) -> bool:
    """Record one use of a signature that stays valid until ``valid_until`` (unix seconds).

    True for its first use, and for a retry that carries the first use's idempotency key;
    False for any other repeat (a replay).
    """
    now = time.time() if now is None else now
    # Kept as a hash: the header is not validated yet here, and may be of any length.
    key = hashlib.sha256(idempotency_key.encode()).hexdigest() if idempotency_key else ""
    if settings.SIGNATURE_REPLAY_STORE == "redis":
        earlier = _remember_in_redis(digest, key, max(1, int(valid_until - now) + 1))
    else:
        earlier = _remember_in_database(digest, key, valid_until)
    if earlier is None:
        return True
    return bool(key) and earlier == key


def _remember_in_redis(digest: str, idempotency_key: str, timeout: int) -> str | None:
    """None when this is the first use, else the idempotency key the first use carried."""
    cache = caches["default"]
    name = f"sig:{digest}"
    if cache.add(name, idempotency_key, timeout=timeout):
        return None
    earlier = cache.get(name)
    return "" if earlier is None else earlier


def _insert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(SeenSignature._meta.db_table)
    columns = ", ".join(quote(name) for name in ("digest", "idempotency_key", "expires_at"))
    return (
        f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({quote('digest')}) DO NOTHING RETURNING {quote('id')}"
    )


def _remember_in_database(digest: str, idempotency_key: str, valid_until: int) -> str | None:
    """One statement for a first use (no savepoint, whatever transaction the caller is in);
    a second reads what the first left."""
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), [digest, idempotency_key, valid_until])
        if cursor.fetchone() is not None:
            return None
    earlier = (
        SeenSignature.objects.filter(digest=digest).values_list("idempotency_key", flat=True)
    ).first()
    if earlier is None:  # pruned between our insert and our read: it had expired
        return _remember_in_database(digest, idempotency_key, valid_until)
    return earlier


def seen_signatures_prune(*, now: float | None = None) -> int:
    """The sweep: signatures whose window has closed can no longer be replayed."""
    now = time.time() if now is None else now
    deleted, _ = SeenSignature.objects.filter(expires_at__lt=int(now)).delete()
    return deleted
