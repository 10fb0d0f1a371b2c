"""The log of emails to buyers: one row per email an event calls for, from queued to sent.

The row is written in the same transaction as the handler's receipt for the event (so an
event yields its email once), and the worker sends it afterwards; a failed send stays in the
log with its error and is tried again later, never dropped.
"""

from django.db import models

from stores.models import Environment


class EmailKind(models.TextChoices):
    RECEIPT = "receipt"
    RENEWAL = "renewal"
    REFUND = "refund"
    TRIAL_ENDING = "trial_ending"
    UPCOMING_CHARGE = "upcoming_charge"
    CANCELED = "canceled"  # a cancellation asked for: it ends with its paid period
    ENDED = "ended"  # the subscription ended (its period ran out, or the retries did)
    PAST_DUE = "past_due"  # a renewal was declined; it is retried
    PLAN_CHANGED = "plan_changed"
    PLAN_SCHEDULED = "plan_scheduled"  # a plan change for the next period
    PLAN_FAILED = "plan_failed"  # a plan change's charge was declined
    MERCHANT = "merchant"  # to the store's owners and admins (``merchant_notices``)


class EmailStatus(models.TextChoices):
    QUEUED = "queued"  # waiting for its (next) attempt at next_attempt_at
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"
    FAILED = "failed"  # gave up after EMAIL_MAX_ATTEMPTS


class EmailLog(models.Model):
    store = models.ForeignKey("stores.Store", on_delete=models.PROTECT, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    event = models.ForeignKey(
        "core.DomainEvent", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(max_length=16, choices=EmailKind.choices)
    period = models.PositiveIntegerField(
        null=True, blank=True, help_text="The subscription period a reminder is about."
    )
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        "orders.Invoice",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The invoice or credit note attached as PDF.",
    )
    to_address = models.CharField(max_length=254)
    language = models.CharField(max_length=16, blank=True, default="")
    subject = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    message_id = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind", "to_address"],
                condition=models.Q(event__isnull=False),
                name="email_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["order", "kind", "period"],
                condition=models.Q(event__isnull=True, period__isnull=False),
                name="reminder_once_per_period",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_due")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address}"

    @property
    def reference(self) -> str:
        """How logs and the Message-ID name this email."""
        return f"email-{self.pk}"
