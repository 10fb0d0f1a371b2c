"""OpenAPI shapes of the partner checkout API (seed 003), mirroring ``partners.api``."""

from catalog.api.schema import PRODUCT_ID
from core.api.openapi_shapes import AMOUNT, CURRENCY, STRING, TIME, obj

BASKET_ID = {"type": "string", "pattern": "^basket-"}
OFFER = {
    "anyOf": [
        PRODUCT_ID,
        obj({"productId": PRODUCT_ID, "versionId": STRING}, optional=("versionId",), closed=True),
    ]
}
ITEM = obj(
    {
        "offer": OFFER,
        "quantity": {"type": "integer", "minimum": 1, "maximum": 99},
        "type": {"enum": ["offer", "add_on"]},
    },
    optional=("quantity", "type"),
    closed=True,
)
ITEMS = {"type": "array", "maxItems": 50, "items": ITEM}
INITIATE = obj(
    {
        "order": obj(
            {"currency": CURRENCY, "orderItems": ITEMS}, optional=("currency",), closed=True
        )
    },
    closed=True,
)
UPDATE = obj(
    {
        "add": ITEMS,
        "remove": {"type": "array", "items": {"anyOf": [{"type": "integer"}, PRODUCT_ID]}},
        "quantities": {
            "type": "object",
            "propertyNames": {"pattern": "^([0-9]+|PROD_[0-9A-Za-z]{22})$"},
            "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 99},
        },
    },
    optional=("add", "remove", "quantities"),
    closed=True,
)
BY_ID = obj({"basketId": BASKET_ID}, closed=True)
BASKET_ORDER = obj(
    {
        "currency": CURRENCY,
        "state": {"enum": ["active", "completed", "expired"]},
        "expiresAt": TIME,
        "orderItems": {
            "type": "array",
            "items": obj(
                {
                    "position": {"type": "integer"},
                    "offer": obj({"productId": STRING, "versionId": STRING}),
                    "name": STRING,
                    "quantity": {"type": "integer"},
                    "type": {"enum": ["offer", "add_on"]},
                    "unitAmount": AMOUNT,
                    "total": AMOUNT,
                }
            ),
        },
        "subtotal": AMOUNT,
    }
)
INITIATED = obj({"id": STRING})
UPDATED = obj({"id": STRING, "order": BASKET_ORDER})
VALIDATED = obj(
    {
        "basketId": STRING,
        "state": {"enum": ["active", "completed", "expired"]},
        "problems": {"type": "array"},
    }
)
HANDED_OVER = obj(
    {"basketId": STRING, "checkoutUrl": STRING, "sessionId": STRING, "expiresAt": TIME}
)
