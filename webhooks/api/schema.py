"""OpenAPI shapes of ``store/*-webhook`` (``webhooks.api.representations.webhook_json``)."""

from core.api.openapi_shapes import BOOL, STRING, TIME, nullable, obj
from stores.api.schema import STORE_ID

EVENTS = {"type": "array", "items": STRING}
WEBHOOK = obj(
    {
        "id": STRING,
        "storeId": STRING,
        "channel": STRING,
        "url": STRING,
        "events": EVENTS,
        "testMode": BOOL,
        "secret": nullable(STRING),
        "createdAt": TIME,
        "updatedAt": TIME,
    }
)
WEBHOOK_DATA = obj({"webhook": WEBHOOK})
ADD = obj(
    {
        "storeId": STORE_ID,
        "channel": STRING,
        "url": {"type": "string", "format": "uri"},
        "events": EVENTS,
        "testMode": BOOL,
        "secret": nullable(STRING),
    },
    optional=("events", "secret"),
)
UPDATE = obj(
    {
        "id": STRING,
        "url": {"type": "string", "format": "uri"},
        "events": EVENTS,
        "secret": nullable(STRING),
    },
    optional=("url", "events", "secret"),
)
REMOVE = obj({"id": STRING})
