"""Products, their immutable versions, and the per-currency prices each version carries.

A product points at one version per environment. Editing a product never touches a
version row: it writes a new one and moves the test pointer; publishing copies the test
pointer to prod. A checkout session can therefore hold a version forever.
"""

import uuid

from django.db import models

from core.models import PublicIdModel
from stores.models import Environment, Store


class ProductType(models.TextChoices):
    ONETIME = "onetime"
    SUBSCRIPTION = "subscription"


class VersionStatus(models.TextChoices):
    ACTIVE = "active"
    INACTIVE = "inactive"


class BillingPeriod(models.TextChoices):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class TaxCategory(models.TextChoices):
    DIGITAL_GOODS = "digital_goods"
    SAAS = "saas"
    SOFTWARE = "software"
    EBOOK = "ebook"
    ONLINE_COURSE = "online_course"
    CONSULTING = "consulting"
    PROFESSIONAL_SERVICE = "professional_service"
    PHYSICAL_GOODS = "physical_goods"


class ProductQuerySet(models.QuerySet):
    def reachable_by(self, merchant_id: uuid.UUID):
        return self.filter(
            store__memberships__merchant_id=merchant_id, store__deleted_at__isnull=True
        )


class Product(PublicIdModel):
    public_prefix = "PROD"

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="products")
    type = models.CharField(max_length=16, choices=ProductType.choices)
    test_version = models.ForeignKey(
        "ProductVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prod_version = models.ForeignKey(
        "ProductVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    test_status = models.CharField(
        max_length=8, choices=VersionStatus.choices, default=VersionStatus.ACTIVE
    )
    prod_status = models.CharField(
        max_length=8, choices=VersionStatus.choices, default=VersionStatus.ACTIVE
    )
    version_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        name = self.test_version.name if self.test_version_id else "(no version)"
        return f"{name} ({self.public_id})"

    def version_in(self, environment: str) -> "ProductVersion | None":
        return self.prod_version if environment == Environment.PROD else self.test_version

    def status_in(self, environment: str) -> str:
        return self.prod_status if environment == Environment.PROD else self.test_status

    def is_sellable_in(self, environment: str) -> bool:
        version_id = (
            self.prod_version_id if environment == Environment.PROD else self.test_version_id
        )
        return version_id is not None and self.status_in(environment) == VersionStatus.ACTIVE


class ImmutableRowError(RuntimeError):
    """Versions and their prices are written once."""


class ProductVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(null=True, blank=True)
    media = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    success_url = models.URLField(max_length=2000, null=True, blank=True)
    billing_period = models.CharField(
        max_length=16, choices=BillingPeriod.choices, null=True, blank=True
    )
    requires_shipping = models.BooleanField(
        default=False, help_text="Physical goods: checkout asks for an address and a method."
    )
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"v{self.number} {self.name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError("product versions are immutable")
        super().save(*args, **kwargs)


class ProductPrice(models.Model):
    """A price snapshot: integer minor units in the version's currency, never a float."""

    version = models.ForeignKey(ProductVersion, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    tax_category = models.CharField(max_length=32, choices=TaxCategory.choices)
    tax_included = models.BooleanField(default=False)
    trial_amount_minor = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint(fields=["version", "currency"], name="price_currency_unique"),
            models.CheckConstraint(
                condition=models.Q(amount_minor__gte=0), name="price_amount_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.amount_minor}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError("price snapshots are immutable")
        super().save(*args, **kwargs)


class ProductGroup(models.Model):
    """A set of one store's subscription plans (the SDK's ``SubscriptionProductGroup``), in
    one environment. Its ID is a raw UUID, as the SDK documents. Publishing writes (or
    rewrites) the prod copy of a test group, which points back at it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="product_groups")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(null=True, blank=True)
    shared_trial = models.BooleanField(default=False)
    self_service_plan_change = models.BooleanField(default=False)
    published_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="published_copy"
    )
    products = models.ManyToManyField(
        Product, through="ProductGroupMember", related_name="product_groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.environment})"


class ProductGroupMember(models.Model):
    """A plan in a group; ``position`` keeps the order the merchant listed them in."""

    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, related_name="members")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "product"], name="group_product_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.product_id}"
