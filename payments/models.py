"""Payments, the payment methods buyers saved, and the test processor's own ledger.

The database guarantees the exactly-once rules: at most one succeeded and at most one
pending payment per order and billing period (a one-time order has one period). A payment's
public ID is its idempotency key at the processor, so asking the processor "what happened
to PAY_…?" always has one answer.
"""

from django.db import models

from core.models import PublicIdModel
from stores.models import Environment


class PaymentStatus(models.TextChoices):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


class Payment(PublicIdModel):
    public_prefix = "PAY"

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    # Which billing period of the order it pays: 1 is the checkout's own payment; a
    # subscription's renewals pay 2, 3, … (retries of a declined renewal share its number).
    # 0 is no billing period: a plan change's prorated charge (subscriptions.plan_changes),
    # any number of them per order, each tied to its plan change.
    period = models.PositiveIntegerField(default=1)
    amount_minor = models.BigIntegerField()
    # The tax inside ``amount_minor``, fixed when the charge is made: a renewal's tax is
    # computed with the rate in force then, so it cannot be derived from the order later.
    tax_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    # Only what a receipt may show: never the full card number.
    card_brand = models.CharField(max_length=16, blank=True, default="")
    card_last4 = models.CharField(max_length=4, blank=True, default="")
    failure_code = models.CharField(max_length=64, blank=True, default="")
    failure_message = models.CharField(max_length=200, blank=True, default="")
    processor = models.CharField(
        max_length=32, blank=True, default="", help_text="Which processor was asked to charge."
    )
    processor_reference = models.CharField(max_length=64, blank=True, default="")
    payment_method = models.ForeignKey(
        "PaymentMethod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        help_text="The saved method charged, or saved by this payment.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A pending payment's lease: whoever resolves it (the buyer's request, the reconciler)
    # moves it forward first, so two resolvers never ask the processor at once.
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "period"],
                condition=models.Q(status="succeeded", period__gte=1),
                name="one_succeeded_payment_per_period",
            ),
            models.UniqueConstraint(
                fields=["order", "period"],
                condition=models.Q(status="pending", period__gte=1),
                name="one_pending_payment_per_period",
            ),
        ]
        indexes = [
            models.Index(
                fields=["updated_at"],
                condition=models.Q(status="pending"),
                name="payment_pending_by_age",
            ),
            # speed (issue 18): the read API's newest-first payment pages.
            models.Index(fields=["-created_at", "-id"], name="payment_newest_first"),
        ]

    def __str__(self) -> str:
        return self.public_id


class PaymentMethod(PublicIdModel):
    """A card a buyer allowed us to charge again (renewals): the processor's token and what a
    receipt shows. Never a card number."""

    public_prefix = "PM"

    store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="payment_methods"
    )
    environment = models.CharField(max_length=4, choices=Environment.choices)
    buyer_email = models.CharField(max_length=254)
    buyer_identity = models.CharField(max_length=256, blank=True, default="")
    processor = models.CharField(max_length=32)
    processor_token = models.CharField(max_length=128)
    brand = models.CharField(max_length=16, blank=True, default="")
    last4 = models.CharField(max_length=4, blank=True, default="")
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    detached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["processor", "processor_token"], name="payment_method_token_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.brand} •••• {self.last4}".strip()


class LedgerStatus(models.TextChoices):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    VOIDED = "voided"


class SandboxCharge(models.Model):
    """The bundled test processor's record of every charge, like a real processor keeps one.

    It lives in the platform's database so that the idempotency key holds across web
    processes and restarts: the unique key is the processor's exactly-once guarantee. A
    key voided before any charge reached it can never be charged afterwards.
    """

    idempotency_key = models.CharField(max_length=128, unique=True)
    reference = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=LedgerStatus.choices)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    # What the charge was asked for: a second request with the same key but other details
    # is refused, as a real processor refuses it (Stripe: idempotency_error).
    request_fingerprint = models.CharField(max_length=64)
    card_brand = models.CharField(max_length=16, blank=True, default="")
    card_last4 = models.CharField(max_length=4, blank=True, default="")
    failure_code = models.CharField(max_length=32, blank=True, default="")
    failure_message = models.CharField(max_length=200, blank=True, default="")
    saved_card = models.ForeignKey(
        "SandboxCard", on_delete=models.PROTECT, null=True, blank=True, related_name="charges"
    )
    refunded_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_minor__gte=0)
                & models.Q(refunded_minor__lte=models.F("amount_minor")),
                name="sandbox_refund_within_charge",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.status}"


class SandboxCard(models.Model):
    """A card the test processor keeps for off-session charges: its token and how it will
    answer (from the test card it was saved from), never the number."""

    token = models.CharField(max_length=64, unique=True)
    brand = models.CharField(max_length=16)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    behaviour = models.CharField(max_length=32, help_text="succeeds, card_declined, …")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token


class SandboxRefund(models.Model):
    charge = models.ForeignKey(SandboxCharge, on_delete=models.PROTECT, related_name="refunds")
    idempotency_key = models.CharField(max_length=128, unique=True)
    reference = models.CharField(max_length=64, unique=True)
    amount_minor = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.reference


class RefundTicketStatus(models.TextChoices):
    """The SDK's ``RefundTicketStatus``."""

    PENDING = "pending"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Tickets still on their way to money back: a payment has at most one of them at a time.
OPEN_TICKET_STATUSES = (
    RefundTicketStatus.PENDING,
    RefundTicketStatus.UNDER_REVIEW,
    RefundTicketStatus.APPROVED,
    RefundTicketStatus.PROCESSING,
)


class RefundTicket(PublicIdModel):
    """A request to give back (part of) one payment, and the merchant of record's decision.

    The ticket keeps its ID and external ID across resubmissions; what was asked each time
    is a ``RefundTicketVersion``. The order and store are the payment's, kept here so that
    every query can be scoped to a tenant without a join through payments.
    """

    public_prefix = "TKT"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refund_tickets")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    store = models.ForeignKey("stores.Store", on_delete=models.PROTECT, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    type = models.CharField(max_length=16, default="refund")
    status = models.CharField(
        max_length=16, choices=RefundTicketStatus.choices, default=RefundTicketStatus.PENDING
    )
    submitter_type = models.CharField(max_length=16, help_text="customer or merchant")
    submitter_id = models.CharField(max_length=256, help_text="Buyer identity or merchant ID.")
    current_version = models.ForeignKey(
        "RefundTicketVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewer_id = models.CharField(max_length=256, blank=True, default="")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="")
    reject_reason = models.TextField(blank=True, default="")
    executed_at = models.DateTimeField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    merchant_external_id = models.CharField(max_length=128, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(status__in=OPEN_TICKET_STATUSES),
                name="one_open_refund_ticket_per_payment",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="refund_ticket_queue")]

    def __str__(self) -> str:
        return self.public_id


class RefundTicketVersion(PublicIdModel):
    """One submission of a ticket: the reason and the amount asked for."""

    public_prefix = "TKV"

    ticket = models.ForeignKey(RefundTicket, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    reason = models.TextField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ticket", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "number"], name="refund_ticket_version"),
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="refund_ticket_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} v{self.number}"


class RefundStatus(models.TextChoices):
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Refund(PublicIdModel):
    """Money given back for an approved ticket: at most one per ticket, executed at the
    processor once under the refund's own ID as idempotency key. ``tax_minor`` is the part
    of ``amount_minor`` that was tax (what the merchant of record remits less)."""

    public_prefix = "REF"

    ticket = models.OneToOneField(RefundTicket, on_delete=models.PROTECT, related_name="refund")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="refunds")
    store = models.ForeignKey("stores.Store", on_delete=models.PROTECT, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    status = models.CharField(
        max_length=16, choices=RefundStatus.choices, default=RefundStatus.PROCESSING
    )
    amount_minor = models.BigIntegerField()
    tax_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.TextField()
    merchant_external_id = models.CharField(max_length=128, blank=True, default="")
    processor = models.CharField(max_length=32)
    processor_reference = models.CharField(max_length=64, blank=True, default="")
    failure_code = models.CharField(max_length=64, blank=True, default="")
    failure_message = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # The execution lease: whoever moves a processing refund forward first asks the processor.
    updated_at = models.DateTimeField(auto_now=True)
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0)
                & models.Q(tax_minor__gte=0)
                & models.Q(tax_minor__lte=models.F("amount_minor")),
                name="refund_amounts_valid",
            )
        ]
        indexes = [
            models.Index(
                fields=["updated_at"],
                condition=models.Q(status="processing"),
                name="refund_processing_by_age",
            )
        ]

    def __str__(self) -> str:
        return self.public_id
