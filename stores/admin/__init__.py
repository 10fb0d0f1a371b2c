"""Admin for merchants (staff users in the "Merchants" group) and platform superusers.

A merchant sees only what its store memberships reach: every queryset, every foreign-key
choice and every object URL is scoped, and an object outside the scope is a 404.
Superusers see everything, including merchants and memberships.

``base`` holds the scoping base classes other apps' admins build on, ``one_time_secrets``
the show-once delivery of generated secrets; the rest register this app's models.
"""

from django.contrib import admin

from stores.admin import key_admin, platform_admin, site, store_admin
from stores.admin.base import (
    MerchantScopedAdmin,
    PlatformAdmin,
    ReadOnlyChildInline,
    StoreRecordAdmin,
    SuperuserOnlyAdmin,
    TimestampSetFilter,
    merchants_for,
    stores_for,
)
from stores.admin.one_time_secrets import (
    PRIVATE_KEY_SESSION_KEY,
    PRIVATE_KEY_TTL_SECONDS,
    RevealOnceAdminMixin,
    pop_private_key,
    stash_private_key,
)

site.configure(admin.site)

__all__ = [
    "PRIVATE_KEY_SESSION_KEY",
    "PRIVATE_KEY_TTL_SECONDS",
    "MerchantScopedAdmin",
    "PlatformAdmin",
    "ReadOnlyChildInline",
    "RevealOnceAdminMixin",
    "StoreRecordAdmin",
    "SuperuserOnlyAdmin",
    "TimestampSetFilter",
    "key_admin",
    "merchants_for",
    "platform_admin",
    "pop_private_key",
    "stash_private_key",
    "store_admin",
    "stores_for",
]
