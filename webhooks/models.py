"""Webhook endpoints of a store, the deliveries made to them, and every attempt."""

import uuid

from django.db import models

from stores.models import Environment, Store


class WebhookEndpoint(models.Model):
    """One ``store_webhooks`` row of the SDK: where a store's events of one environment go."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhooks")
    channel = models.CharField(max_length=16)
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)
    test_mode = models.BooleanField(help_text="Receives test-mode events (else prod-mode).")
    secret = models.CharField(max_length=256, null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "webhook"

    def __str__(self) -> str:
        return f"{self.channel} {self.url}"

    @property
    def environment(self) -> str:
        return Environment.TEST if self.test_mode else Environment.PROD


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"


class WebhookDelivery(models.Model):
    """One business event for one endpoint. ``id`` is the envelope's ``id``; ``body`` is the
    exact text that is signed and sent on every attempt."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_deliveries")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    channel = models.CharField(max_length=16)
    url = models.URLField(max_length=2000, help_text="Where it went when it was made.")
    event_type = models.CharField(max_length=64)
    event_id = models.CharField(max_length=64, help_text="The business object's public ID.")
    body = models.TextField()
    signature = models.CharField(max_length=1024, blank=True, default="")
    signed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    round_attempts = models.PositiveIntegerField(
        default=0, help_text="Attempts since it was (re)sent; drives the retry schedule."
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_http_status = models.PositiveIntegerField(null=True, blank=True)
    last_response_body = models.TextField(blank=True, default="")
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_type", "event_id"], name="webhook_delivery_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} ({self.status})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    succeeded = models.BooleanField()
    http_status = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, default="")
    error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.http_status or self.error}"
