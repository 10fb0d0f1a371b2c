"""OpenAPI shapes of the product-group actions (``group_representations.group_json``)."""

from catalog.api.schema import PRODUCT_ID
from core.api.openapi_shapes import BOOL, STRING, TIME, nullable, obj
from stores.api.schema import STORE_ID

GROUP_ID = {"type": "string", "format": "uuid", "description": "A raw UUID, not a Short ID"}
RULES = obj({"sharedTrial": BOOL, "selfServicePlanChange": BOOL})
RULES_INPUT = obj(
    {"sharedTrial": BOOL, "selfServicePlanChange": BOOL},
    optional=("sharedTrial", "selfServicePlanChange"),
    closed=True,
)
GROUP = obj(
    {
        "id": GROUP_ID,
        "storeId": STRING,
        "name": STRING,
        "description": nullable(STRING),
        "rules": RULES,
        "productIds": {"type": "array", "items": STRING},
        "environment": {"enum": ["test", "prod"]},
        "createdAt": TIME,
        "updatedAt": TIME,
    }
)
GROUP_DATA = obj({"group": GROUP})
FIELDS = {
    "name": STRING,
    "description": nullable(STRING),
    "rules": RULES_INPUT,
    "productIds": {"type": "array", "items": PRODUCT_ID},
}
CREATE = obj({"storeId": STORE_ID, **FIELDS}, optional=("description", "rules", "productIds"))
UPDATE = obj({"id": GROUP_ID, **FIELDS}, optional=tuple(FIELDS))
BY_ID = obj({"id": GROUP_ID})
