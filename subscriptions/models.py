"""A subscription: the plan its checkout locked, its current period and how it is paid.

Its status is the order's (``Order.status``, the SDK's ``SubscriptionOrderStatus``): the
subscription row keeps what renewing needs. The locked plan is copied from the checkout's
line when the subscription starts, so a later price change never reaches it.
"""

import uuid

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


class PlanChangeStatus(models.TextChoices):
    OPEN = "open"  # offered: the confirmation page waits for the customer
    CHARGING = "charging"  # confirmed: the prorated charge is in the processor's hands
    SCHEDULED = "scheduled"  # confirmed: takes effect at the next renewal
    APPLIED = "applied"
    FAILED = "failed"  # the charge was declined: the current plan stays
    SUPERSEDED = "superseded"  # a later scheduled change replaced it


class PlanChange(models.Model):
    """One offered change of a subscription's plan (a plan change session), and what came
    of it. The figures are fixed when it is offered, so the page shows what is charged."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="plan_changes"
    )
    store = models.ForeignKey("stores.Store", on_delete=models.PROTECT, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    status = models.CharField(
        max_length=16, choices=PlanChangeStatus.choices, default=PlanChangeStatus.OPEN
    )
    timing = models.CharField(max_length=16)  # immediate | next_period
    from_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="+"
    )
    to_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="+"
    )
    billing_period = models.CharField(max_length=16)
    currency = models.CharField(max_length=3)
    unit_amount_minor = models.BigIntegerField()
    tax_category = models.CharField(max_length=32)
    tax_included = models.BooleanField()
    # The quote, for the period it was made in: > 0 charged now, < 0 credited now.
    period_number = models.PositiveIntegerField()
    due_now_minor = models.BigIntegerField(default=0)
    tax_now_minor = models.BigIntegerField(default=0)
    # The charge's invoice rows (``plan_change_invoice``); empty when nothing is charged.
    invoice_lines = models.JSONField(default=list, blank=True)
    quoted_at = models.DateTimeField()
    success_url = models.URLField(max_length=2000, blank=True, default="")
    dark_mode = models.BooleanField(null=True)
    language = models.CharField(max_length=16, blank=True, default="")
    payment = models.OneToOneField(
        "payments.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    failure_message = models.CharField(max_length=200, blank=True, default="")
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription"],
                condition=models.Q(status="scheduled"),
                name="one_scheduled_plan_change",
            ),
            models.UniqueConstraint(
                fields=["subscription"],
                condition=models.Q(status="charging"),
                name="one_charging_plan_change",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan change {self.public_id}"

    @property
    def public_id(self) -> str:
        return f"pcs_{self.id}"


class PlanCredit(models.Model):
    """The subscription's credit balance as entries: a plan change credits (> 0), a renewal
    spends (< 0, tied to its payment). A spend whose payment failed no longer counts, so
    the balance follows the payments without being rewritten."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="+")
    amount_minor = models.BigIntegerField()
    plan_change = models.OneToOneField(
        PlanChange, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.OneToOneField(
        "payments.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.amount_minor}"
