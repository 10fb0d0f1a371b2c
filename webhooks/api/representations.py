"""The SDK's ``StoreWebhook`` shape."""

from core.timefmt import iso_utc
from webhooks.models import WebhookEndpoint


def webhook_json(endpoint: WebhookEndpoint) -> dict:
    return {
        "id": str(endpoint.id),
        "storeId": endpoint.store.public_id,
        "channel": endpoint.channel,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "testMode": endpoint.test_mode,
        "secret": endpoint.secret,
        "createdAt": iso_utc(endpoint.created_at),
        "updatedAt": iso_utc(endpoint.updated_at),
    }
