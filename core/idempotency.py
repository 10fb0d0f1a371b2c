"""``X-Idempotency-Key``: the first 2xx answer is kept and replayed for 24 hours.

The ledger's unique (owner, key) row is the lock. Claiming is a single
``INSERT … ON CONFLICT DO NOTHING RETURNING``, so two simultaneous requests can never both
run: the loser sees the winner's row and answers 409 while it is in flight.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.errors import BadRequest, Conflict, Unprocessable
from core.models import IdempotencyRecord

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
INVALID_KEY = "Invalid X-Idempotency-Key: use at most 256 letters, digits, hyphens and underscores"
IN_FLIGHT = "A request with this idempotency key is still in progress"
REUSED = "This idempotency key was already used for a different request"


@dataclass(frozen=True, slots=True)
class Claim:
    record_id: int


@dataclass(frozen=True, slots=True)
class Replay:
    status: int
    body: dict


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b"\n" + path.encode() + b"\n" + body).hexdigest()


def validate_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise BadRequest(INVALID_KEY)
    return key


def _insert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(IdempotencyRecord._meta.db_table)
    columns = ", ".join(
        quote(name)
        for name in ("owner", "key", "request_hash", "state", "created_at", "expires_at")
    )
    conflict = f"{quote('owner')}, {quote('key')}"
    return (
        f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {quote('id')}"
    )


def claim(*, owner: str, key: str, request_hash: str) -> Claim | Replay:
    """Claim the key for this request, or say what the earlier request with it left behind."""
    now = timezone.now()
    expires_at = now + timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS)
    adapt = connection.ops.adapt_datetimefield_value  # the ORM's own spelling of a datetime
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_sql(),
            [
                owner,
                key,
                request_hash,
                IdempotencyRecord.State.IN_FLIGHT,
                adapt(now),
                adapt(expires_at),
            ],
        )
        row = cursor.fetchone()
    if row is not None:
        return Claim(record_id=row[0])

    existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
    if existing is None:  # freed between our insert and our read: try once more
        return claim(owner=owner, key=key, request_hash=request_hash)
    stale_before = now - timedelta(seconds=settings.IDEMPOTENCY_STALE_SECONDS)
    abandoned = existing.state == IdempotencyRecord.State.IN_FLIGHT and (
        existing.created_at < stale_before
    )
    if existing.expires_at <= now or abandoned:
        taken = IdempotencyRecord.objects.filter(
            pk=existing.pk, state=existing.state, created_at=existing.created_at
        ).update(
            request_hash=request_hash,
            state=IdempotencyRecord.State.IN_FLIGHT,
            response_status=None,
            response_body=None,
            created_at=now,
            expires_at=expires_at,
        )
        if taken:
            return Claim(record_id=existing.pk)
        raise Conflict(IN_FLIGHT)
    if existing.state == IdempotencyRecord.State.IN_FLIGHT:
        raise Conflict(IN_FLIGHT)
    if existing.request_hash != request_hash:
        raise Unprocessable(REUSED)
    return Replay(status=existing.response_status, body=existing.response_body)


def complete(*, claimed: Claim, status: int, body: dict) -> None:
    now = timezone.now()
    IdempotencyRecord.objects.filter(pk=claimed.record_id).update(
        state=IdempotencyRecord.State.COMPLETED,
        response_status=status,
        response_body=body,
        expires_at=now + timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS),
    )


def release(*, claimed: Claim) -> None:
    """A failed request leaves the key free for a corrected retry."""
    IdempotencyRecord.objects.filter(
        pk=claimed.record_id, state=IdempotencyRecord.State.IN_FLIGHT
    ).delete()


def purge_expired() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
