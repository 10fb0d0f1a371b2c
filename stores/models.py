"""Merchants, their stores, who may act on a store, and the keys that sign API calls."""

from django.conf import settings
from django.db import models

from core.models import PublicIdModel


class Environment(models.TextChoices):
    TEST = "test"
    PROD = "prod"


class Merchant(PublicIdModel):
    public_prefix = "MER"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merchant"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user.email or self.user.get_username()} ({self.public_id})"


class StoreStatus(models.TextChoices):
    ACTIVE = "active"
    INACTIVE = "inactive"
    SUSPENDED = "suspended"


class StoreQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def reachable_by(self, merchant_id):
        return self.alive().filter(memberships__merchant_id=merchant_id)


class Store(PublicIdModel):
    public_prefix = "STO"

    name = models.CharField(max_length=48)
    slug = models.SlugField(max_length=64, unique=True)
    status = models.CharField(
        max_length=16, choices=StoreStatus.choices, default=StoreStatus.ACTIVE
    )
    prod_enabled = models.BooleanField(
        "approved for prod", default=False, help_text="Set by platform staff."
    )
    logo = models.TextField(blank=True, default="", help_text="An https URL or a data: URI.")
    support_email = models.EmailField(blank=True, default="")
    website = models.URLField(blank=True, default="")
    # Stored as the merchant wrote them; readers fill defaults (see stores.settings_schema).
    checkout_settings = models.JSONField(null=True, blank=True)
    notification_settings = models.JSONField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoreQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class StoreRole(models.TextChoices):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class StoreMembership(models.Model):
    """A merchant's place in a store's team. Changed only through ``stores.team`` (and
    ``store_create``, which makes the owner); what a role may do is ``stores.roles``."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=StoreRole.choices, default=StoreRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "merchant"], name="membership_unique"),
            # The team calls never make or unmake an owner; this keeps it to one per store.
            models.UniqueConstraint(
                fields=["store"],
                condition=models.Q(role="owner"),
                name="membership_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merchant} → {self.store} ({self.role})"


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """An RSA public key that verifies a merchant's request signatures in one environment.

    Only the public half is ever stored; whoever holds the private key is the merchant. A
    public key belongs to one environment; only an operator's explicit opt-in
    (``both_environments``) registers it in the other too, as a twin row, and requests it
    signs must then name their environment.
    """

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="api_keys")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    name = models.CharField(max_length=64, blank=True, default="")
    public_key = models.TextField(help_text="PEM, RSA, at least 2048 bits.")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the DER public key.")
    both_environments = models.BooleanField(
        default=False,
        help_text="Registered in test and prod: requests must send X-Environment.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "environment", "fingerprint"], name="api_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.environment} key {self.fingerprint[:16]}…"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SecretKey(models.Model):
    """A bearer secret for server-to-server calls of the cart checkout API (seed 002).

    Only a SHA-256 of the secret is kept: the secret itself is shown once, at creation.
    Secrets are 256 random bits, so a plain hash is enough to make a leaked table useless.
    """

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="secret_keys")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    name = models.CharField(max_length=64, blank=True, default="")
    prefix = models.CharField(max_length=16, help_text="The first characters, to recognise it.")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.environment} secret {self.prefix}…"
