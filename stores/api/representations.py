"""The SDK's ``Store`` shape."""

from core.timefmt import iso_utc
from stores import settings_schema
from stores.models import Store


def store_json(store: Store) -> dict:
    return {
        "id": store.public_id,
        "name": store.name,
        "status": store.status,
        "logo": store.logo or None,
        "supportEmail": store.support_email or None,
        "website": store.website or None,
        "slug": store.slug,
        "prodEnabled": store.prod_enabled,
        "notificationSettings": settings_schema.effective_notification_settings(
            store.notification_settings
        ),
        "checkoutSettings": settings_schema.effective_checkout_settings(store.checkout_settings),
        "deletedAt": iso_utc(store.deleted_at),
        "createdAt": iso_utc(store.created_at),
        "updatedAt": iso_utc(store.updated_at),
    }
