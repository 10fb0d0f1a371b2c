"""Writes for merchants, stores and API keys."""

import secrets
import string
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from core import signing
from core.errors import BadRequest, Conflict, Forbidden
from core.text import normalize_email
from stores import key_cache, roles, settings_schema
from stores.models import (
    ApiKey,
    Environment,
    Merchant,
    Store,
    StoreMembership,
    StoreRole,
    StoreStatus,
)

STORE_NAME_MAX = 48
MERCHANT_GROUP = "Merchants"
# Models a merchant manages in admin; the queryset scoping in each ModelAdmin does the rest.
MERCHANT_PERMISSIONS = {
    "stores": {
        "store": ("view", "add", "change"),
        "apikey": ("view", "add", "change"),
        "secretkey": ("view", "add", "change"),
    },
    "catalog": {"product": ("view", "add", "change"), "productversion": ("view",)},
    "checkout": {
        "templatecart": ("view", "add", "change"),
        "shippingmethod": ("view", "add", "change"),
        "checkoutsession": ("view",),
    },
    "partners": {"partnergrant": ("view", "add", "change"), "basket": ("view",)},
    "orders": {"order": ("view",)},
    "payments": {"refundticket": ("view",), "refund": ("view",)},
    "subscriptions": {"subscription": ("view",), "planchange": ("view",)},
    "webhooks": {"webhookendpoint": ("view", "change"), "webhookdelivery": ("view",)},
}
LAST_USED_RESOLUTION = timedelta(minutes=1)
_SLUG_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
from core.types import UNSET  # noqa: E402


@transaction.atomic
def merchant_create(*, email: str, password: str | None) -> Merchant:
    """A merchant is a Django staff user (for admin) with the merchant group's permissions."""
    email = normalize_email(email)
    if not email or "@" not in email:
        raise BadRequest("A valid email is required", layer="user")
    user_model = get_user_model()
    if user_model.objects.filter(username=email).exists():
        raise Conflict(f"A user with email {email} already exists", layer="user")
    user = user_model.objects.create_user(
        username=email, email=email, password=password, is_staff=True
    )
    user.groups.add(merchant_group())
    return Merchant.objects.create(user=user)


def merchant_group() -> Group:
    """The group every merchant user is in; its permissions are reset to the list above."""
    group, _ = Group.objects.get_or_create(name=MERCHANT_GROUP)
    codenames = [
        f"{action}_{model}"
        for models in MERCHANT_PERMISSIONS.values()
        for model, actions in models.items()
        for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=MERCHANT_PERMISSIONS, codename__in=codenames
    )
    group.permissions.set(permissions)
    return group


OTHER_ENVIRONMENT_KEY = (
    "This public key is registered for the other environment; "
    "register it for both environments or use another key"
)


def api_key_add(
    *,
    merchant: Merchant,
    environment: str,
    public_key: str,
    name: str = "",
    both_environments: bool = False,
) -> ApiKey:
    """Register a public key in ``environment``. A key belongs to one environment:
    ``both_environments`` is the operator's explicit opt-in that registers it in the other
    too (the returned row's twin), and then every request it signs must name its
    environment (``stores.api.authentication``)."""
    if environment not in Environment.values:
        raise BadRequest("environment must be test or prod", layer="user")
    try:
        pem = signing.normalize_public_key(public_key)
    except signing.InvalidPublicKey as exc:
        raise BadRequest(str(exc), layer="user") from exc
    fingerprint = signing.fingerprint(pem)
    environments = [environment]
    if both_environments:
        environments += [other for other in Environment.values if other != environment]
    elif (
        ApiKey.objects.usable()
        .filter(merchant=merchant, fingerprint=fingerprint)
        .exclude(environment=environment)
        .exists()
    ):
        raise Conflict(OTHER_ENVIRONMENT_KEY, layer="user")
    fields = {"public_key": pem, "fingerprint": fingerprint, "name": name}
    try:
        with transaction.atomic():
            keys = [
                ApiKey.objects.create(
                    merchant=merchant,
                    environment=env,
                    both_environments=both_environments,
                    **fields,
                )
                for env in environments
            ]
            key_cache.keys_changed(merchant_id=merchant.pk)
    except IntegrityError:
        raise Conflict("This public key is already registered", layer="user") from None
    return keys[0]


def api_key_generate(
    *, merchant: Merchant, environment: str, name: str = "", both_environments: bool = False
) -> tuple[ApiKey, str]:
    """Returns the new key and the private PEM, which is shown once and never stored."""
    private_pem, public_pem = signing.generate_key_pair()
    return api_key_add(
        merchant=merchant,
        environment=environment,
        public_key=public_pem,
        name=name,
        both_environments=both_environments,
    ), private_pem


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        key_cache.keys_changed(merchant_id=api_key.merchant_id)
    return api_key


def api_key_mark_used(*, api_key: ApiKey) -> None:
    """Record use at one-minute resolution, so a busy key does not write on every call."""
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now


def clean_store_name(name: Any) -> str:
    if name is None:
        raise BadRequest("Missing required field: name", layer="store")
    if not isinstance(name, str):
        raise BadRequest("Invalid name: expected a string", layer="store")
    name = name.strip()
    if not 1 <= len(name) <= STORE_NAME_MAX:
        raise BadRequest(
            f"Store name must be between 1 and {STORE_NAME_MAX} characters", layer="store"
        )
    return name


def _slug_candidate(name: str) -> str:
    base = slugify(name)[:40].strip("-") or "store"
    suffix = "".join(secrets.choice(_SLUG_SUFFIX_ALPHABET) for _ in range(6))
    return f"{base}-{suffix}"


def store_create(*, merchant_id: uuid.UUID, name: Any) -> Store:
    """A new store, owned by the merchant, with a slug that never changes afterwards."""
    name = clean_store_name(name)
    for _ in range(5):
        try:
            with transaction.atomic():
                store = Store.objects.create(name=name, slug=_slug_candidate(name))
                StoreMembership.objects.create(
                    store=store, merchant_id=merchant_id, role=StoreRole.OWNER
                )
                return store
        except IntegrityError:
            continue  # slug collision: draw another suffix
    raise Conflict("Could not allocate a store slug, try again", layer="store")


@dataclass
class StoreUpdate:
    store: Store
    warnings: list[dict] = field(default_factory=list)


def store_update(
    *,
    membership: StoreMembership,
    name: Any = UNSET,
    status: Any = UNSET,
    logo: Any = UNSET,
    checkout_settings: Any = UNSET,
    notification_settings: Any = UNSET,
) -> StoreUpdate:
    roles.require(role=membership.role, capability=roles.Capability.STORE_SETTINGS)
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=membership.store_id)
        result = StoreUpdate(store=store)
        if name is not UNSET:
            store.name = clean_store_name(name)
        if status is not UNSET:
            _apply_status(store, status)
        if logo is not UNSET:
            if logo is not None and (
                not isinstance(logo, str) or not settings_schema.is_valid_logo(logo)
            ):
                raise BadRequest(
                    "Invalid logo: expected an https URL or a data:image URI", layer="store"
                )
            store.logo = logo or ""
        if checkout_settings is not UNSET:
            store.checkout_settings = settings_schema.merge_checkout_settings(
                store.checkout_settings, checkout_settings
            )
        if notification_settings is not UNSET:
            store.notification_settings, dropped = settings_schema.merge_notification_settings(
                store.notification_settings, notification_settings
            )
            result.warnings.extend(
                {
                    "message": (
                        f"notificationSettings.{key} is managed by the platform and was ignored"
                    ),
                    "layer": "store",
                    "aiHint": "Only notify* toggles, emailUpcomingCharge and emailTrialEnding "
                    "are merchant-writable; drop the other email* keys from the request.",
                }
                for key in dropped
            )
        store.save()
    return result


def _apply_status(store: Store, status: Any) -> None:
    if store.status == StoreStatus.SUSPENDED:
        raise Forbidden("Store is suspended", layer="store")
    if status not in (StoreStatus.ACTIVE, StoreStatus.INACTIVE):
        raise BadRequest('Invalid status: expected "active" or "inactive"', layer="store")
    store.status = status


def store_delete(*, membership: StoreMembership) -> Store:
    """Soft delete: the row stays for orders and audit, the store disappears everywhere."""
    roles.require(role=membership.role, capability=roles.Capability.DELETE_STORE)
    store = membership.store
    if store.deleted_at is None:
        store.deleted_at = timezone.now()
        store.save(update_fields=["deleted_at", "updated_at"])
    return store


def store_set_prod_enabled(*, store: Store, enabled: bool = True) -> Store:
    """Platform approval for production payments."""
    if store.prod_enabled != enabled:
        store.prod_enabled = enabled
        store.save(update_fields=["prod_enabled", "updated_at"])
    return store
