"""A subscription: the plan its checkout locked, its current period and how it is paid.

Its status is the order's (``Order.status``, the SDK's ``SubscriptionOrderStatus``): the
subscription row keeps what renewing needs. The locked plan is copied from the checkout's
line when the subscription starts, so a later price change never reaches it.
"""

from django.db import models

from stores.models import Environment


class Subscription(models.Model):
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, primary_key=True, related_name="subscription"
    )
    store = models.ForeignKey("stores.Store", on_delete=models.PROTECT, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)

    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="+"
    )
    billing_period = models.CharField(max_length=16)
    currency = models.CharField(max_length=3)
    unit_amount_minor = models.BigIntegerField()
    quantity = models.PositiveIntegerField(default=1)
    tax_category = models.CharField(max_length=32)
    tax_included = models.BooleanField()
    payment_method = models.ForeignKey(
        "payments.PaymentMethod", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    period_number = models.PositiveIntegerField(default=1)
    anchor = models.DateTimeField(help_text="When the first period began.")
    current_period_start = models.DateTimeField()
    current_period_end = models.DateTimeField()
    # Declined renewal attempts of the period due (reset when a renewal succeeds).
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # A trial: the first period is the trial (period 1, ending at ``trial_end``); the first
    # charge of the locked price pays period 2. ``trial_reminded_at``: the "trial ending"
    # reminder was recorded (once).
    trial_end = models.DateTimeField(null=True, blank=True)
    trial_reminded_at = models.DateTimeField(null=True, blank=True)
    # The test clock (test environment only): this subscription's own "now", when a merchant
    # moved it forward to see renewals happen.
    clock = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["current_period_end"],
                condition=models.Q(ended_at__isnull=True),
                name="subscription_period_end",
            ),
            models.Index(
                fields=["next_retry_at"],
                condition=models.Q(next_retry_at__isnull=False),
                name="subscription_retry_due",
            ),
            models.Index(
                fields=["trial_end"],
                condition=models.Q(trial_end__isnull=False, trial_reminded_at__isnull=True),
                name="subscription_trial_unreminded",
            ),
        ]

    def __str__(self) -> str:
        return f"Subscription {self.order_id}"

    @property
    def in_trial(self) -> bool:
        """Still in the trial it started with (its first charge not paid yet)."""
        return self.trial_end is not None and self.period_number == 1
