"""OpenAPI shapes of the ``store/*`` actions (``stores.api.representations.store_json``)."""

from core.api.openapi_shapes import BOOL, OBJECT, STRING, TIME, nullable, obj

STORE_ID = {"type": "string", "pattern": "^STO_[0-7][0-9A-Za-z]{21}$"}
STORE = obj(
    {
        "id": {"type": "string", "pattern": "^STO_"},
        "name": STRING,
        "status": {"enum": ["active", "inactive", "suspended"]},
        "logo": nullable(STRING),
        "supportEmail": nullable(STRING),
        "website": nullable(STRING),
        "slug": STRING,
        "prodEnabled": BOOL,
        "notificationSettings": OBJECT,
        "checkoutSettings": OBJECT,
        "deletedAt": nullable(TIME),
        "createdAt": TIME,
        "updatedAt": TIME,
    }
)
STORE_DATA = obj({"store": STORE})
CREATE = obj({"name": STRING})
UPDATE = obj(
    {
        "id": STORE_ID,
        "name": STRING,
        "status": {"enum": ["active", "inactive"]},
        "logo": nullable(STRING),
        "checkoutSettings": OBJECT,
        "notificationSettings": OBJECT,
        "supportEmail": {"description": "Ignored with a warning (admin only)"},
        "website": {"description": "Ignored with a warning (admin only)"},
        "webhookSettings": {"description": "Ignored with a warning"},
    },
    optional=(
        "name",
        "status",
        "logo",
        "checkoutSettings",
        "notificationSettings",
        "supportEmail",
        "website",
        "webhookSettings",
    ),
)
DELETE = obj({"id": STORE_ID})
