"""Invoices and credit notes: what the merchant of record issued for an order, written once.

A document keeps a copy of everything it shows (seller, buyer, lines, tax by rate) as it was
when issued, so a later change of the operator's address or of the order's rows never
rewrites an invoice already sent. Numbers come from one counter row per environment and
kind (``orders.invoices``): gapless, never reused.
"""

from django.db import models

from stores.models import Environment


class DocumentKind(models.TextChoices):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoiceCounter(models.Model):
    """The last number given out per environment and kind; locked by whoever takes the next."""

    environment = models.CharField(max_length=4, choices=Environment.choices)
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    last_sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["environment", "kind"], name="invoice_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.environment} {self.kind}: {self.last_sequence}"


class Invoice(models.Model):
    """An invoice (one per order and paid period, or per charge outside the periods:
    ``period`` empty, ``payment_reference`` set) or a credit note (one per refund, pointing
    at the invoice it corrects). Amounts are positive; a credit note subtracts them."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    environment = models.CharField(max_length=4, choices=Environment.choices)
    sequence = models.PositiveBigIntegerField()
    number = models.CharField(max_length=32)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="invoices")
    period = models.PositiveIntegerField(null=True, blank=True)
    credited_invoice = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    refund_reference = models.CharField(max_length=40, blank=True, default="")
    # A charge outside the order's periods (a plan change's) is invoiced once per payment.
    payment_reference = models.CharField(max_length=40, blank=True, default="")
    issued_at = models.DateTimeField()
    currency = models.CharField(max_length=3)
    subtotal_minor = models.BigIntegerField()
    tax_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField()
    reverse_charge = models.BooleanField(default=False)
    seller = models.JSONField()
    buyer = models.JSONField()
    lines = models.JSONField()
    tax_breakdown = models.JSONField()

    class Meta:
        ordering = ["environment", "kind", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["environment", "kind", "sequence"], name="invoice_sequence_once"
            ),
            models.UniqueConstraint(fields=["environment", "number"], name="invoice_number_once"),
            models.UniqueConstraint(
                fields=["order", "period"],
                condition=models.Q(kind="invoice"),
                name="invoice_once_per_period",
            ),
            models.UniqueConstraint(
                fields=["payment_reference"],
                condition=models.Q(kind="invoice") & ~models.Q(payment_reference=""),
                name="invoice_once_per_payment",
            ),
            models.UniqueConstraint(
                fields=["refund_reference"],
                condition=models.Q(kind="credit_note"),
                name="credit_note_once_per_refund",
            ),
            models.CheckConstraint(
                condition=models.Q(total_minor=models.F("subtotal_minor") + models.F("tax_minor")),
                name="invoice_total_is_subtotal_plus_tax",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def language(self) -> str:
        """The checkout's language, else the store's default: the document is written in it."""
        from checkout.web.locale import store_language

        session = self.order.checkout_session
        return session.language or store_language(session.store)

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE
