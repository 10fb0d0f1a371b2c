"""Rows shared by every app: the public-ID mixin and the idempotency ledger."""

import uuid

from django.db import models

from core.ids import to_short_id


class PublicIdModel(models.Model):
    """A UUID primary key whose public spelling is ``PREFIX_<base62>``."""

    public_prefix: str = ""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    @property
    def public_id(self) -> str:
        return to_short_id(self.public_prefix, self.id)


class IdempotencyRecord(models.Model):
    """One claimed ``X-Idempotency-Key`` per credential owner.

    The unique constraint is the lock: whoever inserts the row first executes the request;
    everyone else sees the row and either waits out the 409 or gets the stored response.
    """

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight"
        COMPLETED = "completed"

    owner = models.CharField(max_length=128)
    key = models.CharField(max_length=256)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key} ({self.state})"
