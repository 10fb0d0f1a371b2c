"""Checkout sessions: everything a consumer will be charged, locked when the session is made.

A session copies what it sells (version, price, names, theme) instead of pointing at live
rows, so nothing a merchant edits later reaches an open session.
"""

import uuid

from django.db import models

from checkout.lines import SessionLine
from stores.models import Environment, Store


class SessionStatus(models.TextChoices):
    OPEN = "open"
    COMPLETED = "completed"


class CreatedVia(models.TextChoices):
    API_KEY = "api_key"
    STORE_SLUG = "store_slug"


class CheckoutSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="checkout_sessions")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    created_via = models.CharField(max_length=16, choices=CreatedVia.choices)

    # What is sold, locked: see checkout.lines. ``product_type`` is the kind of order the
    # session makes (all lines one-time, or one subscription line).
    product_type = models.CharField(max_length=16)
    currency = models.CharField(max_length=3)
    lines = models.JSONField(default=list)

    # How it looks and who buys, locked.
    store_name = models.CharField(max_length=48)
    theme = models.JSONField(help_text="Effective checkout settings and logo at creation.")
    dark_mode = models.BooleanField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True, default="")
    payment_methods = models.JSONField(default=list, blank=True)
    buyer_email = models.CharField(max_length=254, blank=True, default="")
    billing_detail = models.JSONField(null=True, blank=True)
    success_url = models.URLField(max_length=2000, blank=True, default="")
    metadata = models.JSONField(default=dict, blank=True)
    order_merchant_external_id = models.CharField(max_length=128, blank=True, default="")

    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["store", "environment", "-created_at"])]

    def __str__(self) -> str:
        return self.public_id

    @property
    def public_id(self) -> str:
        return f"cs_{self.id}"

    @property
    def line_items(self) -> tuple[SessionLine, ...]:
        return tuple(SessionLine.from_json(line) for line in self.lines)

    @property
    def title(self) -> str:
        """How pages and receipts name what is bought."""
        items = self.line_items
        if not items:
            return ""
        extra = len(items) - 1
        return items[0].name if not extra else f"{items[0].name} and {extra} more"
