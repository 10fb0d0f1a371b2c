"""Checkout sessions: everything a consumer will be charged, locked when the session is made.

A session copies what it sells (version, price, names, theme) instead of pointing at live
rows, so nothing a merchant edits later reaches an open session.
"""

import uuid

from django.db import models
from ulid import ULID

from checkout.lines import SessionLine
from stores.models import Environment, Store


class SessionStatus(models.TextChoices):
    """What is stored. Whether a session can still be paid is ``selectors.session_state``:
    an ``open`` row past ``expires_at`` is expired before the worker's sweep marks it."""

    OPEN = "open"
    COMPLETED = "completed"
    EXPIRED = "expired"


class CreatedVia(models.TextChoices):
    API_KEY = "api_key"
    STORE_SLUG = "store_slug"
    TEMPLATE_CART = "template_cart"
    PARTNER_BASKET = "partner_basket"


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
    # The buyer turned out to have had this product's trial already (found when paying):
    # the lines' trial no longer applies and every figure is the full price from then on.
    trial_forfeited = models.BooleanField(default=False)

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

    # Template-cart sessions (seed 002): where they came from, and shipping when a line
    # needs it. Address and method are the only things a buyer may change on a session.
    template_cart = models.ForeignKey(
        "TemplateCart", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    requires_shipping = models.BooleanField(default=False)
    # Partner baskets (seed 003): the reseller whose basket was handed over to this session.
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkout_sessions",
    )
    shipping_address = models.JSONField(null=True, blank=True)
    shipping_method = models.JSONField(
        null=True, blank=True, help_text="Snapshot of the chosen method: id, name, amount."
    )

    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["store", "environment", "-created_at"]),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(status="open"),
                name="session_open_by_expiry",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def public_id(self) -> str:
        return f"cs_{self.id}"

    @property
    def line_items(self) -> tuple[SessionLine, ...]:
        items = tuple(SessionLine.from_json(line) for line in self.lines)
        if self.trial_forfeited:
            return tuple(line.without_trial() for line in items)
        return items

    @property
    def title(self) -> str:
        """How pages and receipts name what is bought."""
        items = self.line_items
        if not items:
            return ""
        extra = len(items) - 1
        return items[0].name if not extra else f"{items[0].name} and {extra} more"


def new_ulid_uuid() -> uuid.UUID:
    """Template carts are ULIDs (seed 002): sortable by creation, stored as their 128 bits."""
    return ULID().to_uuid()


class TemplateCart(models.Model):
    """A reusable cart a merchant shows as a link or QR code; every buyer gets a session of
    their own from it. Never consumed, never expires."""

    id = models.UUIDField(primary_key=True, default=new_ulid_uuid, editable=False)
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="template_carts")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3)
    success_url = models.URLField(max_length=2000, blank=True, default="")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"

    @property
    def public_id(self) -> str:
        return str(ULID.from_uuid(self.id))


class TemplateCartItem(models.Model):
    cart = models.ForeignKey(TemplateCart, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["cart", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=99), name="cart_item_quantity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product}"


class ShippingMethod(models.Model):
    """How a store ships: price per currency, where to, and when it becomes free.

    The integer primary key is the ``shipping_method_id`` of seed 002.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="shipping_methods")
    name = models.CharField(max_length=100)
    prices = models.JSONField(help_text='Minor units per currency, e.g. {"USD": 500}.')
    countries = models.JSONField(
        default=list, blank=True, help_text="ISO alpha-2 codes served; empty serves everywhere."
    )
    free_above = models.JSONField(
        default=dict, blank=True, help_text="Goods subtotal (minor units) from which it is free."
    )
    delivery_estimate = models.CharField(max_length=100, blank=True, default="")
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["store", "position", "id"]

    def __str__(self) -> str:
        return self.name
