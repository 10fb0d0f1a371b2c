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

# store-merchant/* (the SDK's AddMerchantParams, RemoveMerchantParams, UpdateRoleParams)
MERCHANT_ID = {"type": "string", "pattern": "^MER_[0-7][0-9A-Za-z]{21}$"}
ASSIGNABLE_ROLE = {"enum": ["admin", "member"]}
ADD_MERCHANT = obj({"storeId": STORE_ID, "email": STRING, "role": ASSIGNABLE_ROLE})
REMOVE_MERCHANT = obj({"storeId": STORE_ID, "merchantId": MERCHANT_ID})
UPDATE_ROLE = obj({"storeId": STORE_ID, "merchantId": MERCHANT_ID, "role": ASSIGNABLE_ROLE})
MERCHANT_ADDED = obj(
    {
        "storeId": STRING,
        "merchantId": STRING,
        "email": STRING,
        "role": STRING,
        "status": {"enum": ["active"]},
        "addedAt": TIME,
    }
)
MERCHANT_REMOVED = obj({"message": STRING, "removedAt": TIME})
ROLE_UPDATED = obj({"storeId": STRING, "merchantId": STRING, "role": STRING, "updatedAt": TIME})
