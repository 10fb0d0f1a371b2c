"""Partner checkout (seed 003): resellers who build baskets for an end customer.

A partner is an organisation with OAuth 2.0 client credentials (a django-oauth-toolkit
``Application`` with the client-credentials grant). Merchants grant partners the right to
sell a store's products; a partner's basket holds items of one store at the prices they had
when they were added, and becomes a checkout session when it is handed over.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from stores.models import Environment, Merchant, Store


class Partner(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("organisation name", max_length=100)
    environment = models.CharField(
        max_length=4,
        choices=Environment.choices,
        help_text="The environment every basket of this partner's credentials lives in.",
    )
    active = models.BooleanField(default=True)
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="partner",
        help_text="The OAuth 2.0 client (client-credentials grant) the partner signs in with.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.environment})"

    @property
    def client_id(self) -> str:
        return self.application.client_id


class PartnerGrant(models.Model):
    """A merchant lets a partner sell one of its stores: every product, or only those listed."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="grants")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="partner_grants")
    products = models.ManyToManyField(
        "catalog.Product",
        blank=True,
        related_name="+",
        help_text="Leave empty to let the partner sell every product of the store.",
    )
    granted_by = models.ForeignKey(
        Merchant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "store"], name="partner_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partner.name} sells {self.store}"


class BasketState(models.TextChoices):
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"


class ItemType(models.TextChoices):
    OFFER = "offer"
    ADD_ON = "add_on"


def default_basket_expiry():
    return timezone.now() + timedelta(days=settings.PARTNER_BASKET_DAYS)


class Basket(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="baskets")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="partner_baskets")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    currency = models.CharField(max_length=3)
    state = models.CharField(max_length=16, choices=BasketState.choices, default=BasketState.ACTIVE)
    checkout_session = models.ForeignKey(
        "checkout.CheckoutSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_baskets",
        help_text="The checkout the basket was handed over to.",
    )
    expires_at = models.DateTimeField(default=default_basket_expiry)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["store", "-created_at"])]

    def __str__(self) -> str:
        return self.public_id

    @property
    def public_id(self) -> str:
        return f"basket-{self.id}"


class BasketItem(models.Model):
    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        "catalog.ProductVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version priced when the item was added.",
    )
    version_pinned = models.BooleanField(
        default=False, help_text="The partner named this version explicitly."
    )
    quantity = models.PositiveSmallIntegerField(default=1)
    type = models.CharField(max_length=8, choices=ItemType.choices, default=ItemType.OFFER)
    unit_amount_minor = models.BigIntegerField(help_text="Unit price when the item was added.")
    currency = models.CharField(max_length=3)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["basket", "position"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "position"], name="basket_item_position"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=99),
                name="basket_item_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product}"
