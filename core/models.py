"""Rows shared by every app: the public-ID mixin, the idempotency ledger and the outbox
of domain events."""

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


class DomainEvent(models.Model):
    """A state change other parts of the platform react to, written in the transaction that
    made the change (a transactional outbox): if the change commits, so does the event, and
    nothing that follows from it can be lost by a crash after the commit.

    ``store_id`` and ``subject`` are plain values, not foreign keys: ``core`` knows no
    domain app, and an event outlives whatever it names.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=64)
    subject = models.CharField(max_length=64, help_text="Public ID of what changed.")
    store_id = models.UUIDField(null=True, blank=True)
    environment = models.CharField(max_length=4, blank=True, default="")
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    # Set once every handler registered for ``name`` has handled it.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="event_undispatched",
            ),
            models.Index(fields=["subject", "name"], name="event_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.subject}"


class HandledEvent(models.Model):
    """One handler's receipt for one event, written in the handler's own transaction: the
    unique pair makes every handler run to completion at most once per event, however
    often the event is dispatched."""

    event = models.ForeignKey(DomainEvent, on_delete=models.CASCADE, related_name="handled")
    handler = models.CharField(max_length=128)
    handled_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="event_handled_once")
        ]

    def __str__(self) -> str:
        return f"{self.handler} ← {self.event_id}"


class RateCounter(models.Model):
    """Requests counted in one fixed window for one key (a client address, a card), in the
    database every web process shares: the counter is raised with one UPDATE, so
    concurrent requests never lose a count. Used when no Redis is configured."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField(help_text="Unix seconds the window began.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_age")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}: {self.count}"


class SeenSignature(models.Model):
    """A signed request that was already used: the same signature a second time inside
    its window is a replay. Kept until the signature's timestamp leaves the window (after
    which the signature is refused anyway), then pruned. Used when no Redis is configured."""

    digest = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(
        max_length=64, blank=True, default="", help_text="SHA-256 of the first use's key."
    )
    expires_at = models.BigIntegerField(db_index=True, help_text="Unix seconds.")

    def __str__(self) -> str:
        return f"{self.digest[:16]}… until {self.expires_at}"
