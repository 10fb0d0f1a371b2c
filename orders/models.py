"""Orders and their lines. One order per checkout session is a database constraint; the
payments that settle an order live in ``payments``."""

from django.db import models

from catalog.models import Product, ProductVersion
from core.models import PublicIdModel
from stores.models import Environment, Store


class OrderStatus(models.TextChoices):
    """The union of the SDK's OnetimeOrderStatus and SubscriptionOrderStatus."""

    PENDING = "pending"
    COMPLETED = "completed"
    CANCELED = "canceled"
    ACTIVE = "active"
    TRIALING = "trialing"
    CANCELING = "canceling"
    PAST_DUE = "past_due"
    CLOSED = "closed"
    EXPIRED = "expired"


# Which statuses each kind of order can be in (the SDK's two enums), so that a list of
# one-time orders never offers a subscription state.
ONETIME_STATUSES = (OrderStatus.PENDING, OrderStatus.COMPLETED, OrderStatus.CANCELED)
SUBSCRIPTION_STATUSES = (
    OrderStatus.PENDING,
    OrderStatus.ACTIVE,
    OrderStatus.TRIALING,
    OrderStatus.CANCELING,
    OrderStatus.PAST_DUE,
    OrderStatus.CLOSED,
    OrderStatus.CANCELED,
    OrderStatus.EXPIRED,
)


class Order(PublicIdModel):
    public_prefix = "ORD"

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="orders")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    checkout_session = models.OneToOneField(
        "checkout.CheckoutSession", on_delete=models.PROTECT, related_name="order"
    )
    product_type = models.CharField(max_length=16)
    status = models.CharField(
        max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )

    buyer_identity = models.CharField(max_length=256, blank=True, default="")
    buyer_email = models.CharField(max_length=254)
    language = models.CharField(
        max_length=16,
        blank=True,
        default="",
        help_text="The language the buyer paid in (the page's); their emails are written in it.",
    )
    billing_detail = models.JSONField()
    order_merchant_external_id = models.CharField(max_length=128, blank=True, default="")
    metadata = models.JSONField(default=dict, blank=True)
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        help_text="The reseller whose basket became this order, if any.",
    )

    # Money owed, as computed by checkout.tax when the order was placed.
    currency = models.CharField(max_length=3)
    subtotal_minor = models.BigIntegerField()
    tax_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField()
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4)
    tax_name = models.CharField(max_length=64, blank=True, default="")
    tax_country = models.CharField(max_length=2)
    tax_region = models.CharField(max_length=8, blank=True, default="")
    reverse_charge = models.BooleanField(default=False)
    with_trial = models.BooleanField(default=False)
    shipping_address = models.JSONField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    # Not a column: the lines this process has just written for the order, known without a
    # read (set by ``orders.services._write_lines``; None on an order read from the database).
    lines_written: list["OrderLine"] | None = None

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_minor=models.F("subtotal_minor") + models.F("tax_minor")),
                name="order_total_is_subtotal_plus_tax",
            )
        ]
        # speed (issue 18): newest-first pages without sorting every order. A merchant
        # with most of the orders walks the first backwards; a small one finds its few
        # through the second (per store and environment) and sorts only those.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="order_newest_first"),
            models.Index(
                fields=["store", "environment", "-created_at"], name="order_store_env_newest"
            ),
        ]

    def __str__(self) -> str:
        return self.public_id


class OrderLine(models.Model):
    """One line of an order with its share of the order's tax (they sum to the order's)."""

    class Kind(models.TextChoices):
        PRODUCT = "product"
        SHIPPING = "shipping"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PRODUCT)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product_version = models.ForeignKey(
        ProductVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_amount_minor = models.BigIntegerField()
    tax_category = models.CharField(max_length=32)
    tax_included = models.BooleanField()
    subtotal_minor = models.BigIntegerField()
    tax_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField()
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position"),
            models.CheckConstraint(
                condition=models.Q(total_minor=models.F("subtotal_minor") + models.F("tax_minor")),
                name="order_line_total_is_subtotal_plus_tax",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.name}"


# Invoices and credit notes live in their own module; imported here so Django finds them.
from orders.invoices_models import DocumentKind, Invoice, InvoiceCounter  # noqa: E402, F401
