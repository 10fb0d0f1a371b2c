"""OpenAPI shapes of the product actions (``catalog.api.representations.product_json``)."""

from core.api.openapi_shapes import AMOUNT, BOOL, OBJECT, STRING, TIME, nullable, obj
from stores.api.schema import STORE_ID

PRODUCT_ID = {"type": "string", "pattern": "^PROD_[0-7][0-9A-Za-z]{21}$"}
TAX_CATEGORIES = [
    "digital_goods",
    "saas",
    "software",
    "ebook",
    "online_course",
    "consulting",
    "professional_service",
    "physical_goods",
]
PERIODS = ["weekly", "monthly", "quarterly", "yearly"]
PRICE = obj(
    {"amount": AMOUNT, "taxCategory": STRING, "taxIncluded": BOOL, "trialAmount": AMOUNT},
    optional=("trialAmount",),
)
PRODUCT = obj(
    {
        "id": {"type": "string", "pattern": "^PROD_"},
        "storeId": STRING,
        "name": STRING,
        "description": nullable(STRING),
        "prices": {"type": "object", "additionalProperties": PRICE},
        "media": {"type": "array"},
        "successUrl": nullable(STRING),
        "metadata": OBJECT,
        "status": {"enum": ["active", "inactive"]},
        "createdAt": TIME,
        "updatedAt": TIME,
        "billingPeriod": {"enum": PERIODS},
        "requiresShipping": {"const": True},
    },
    optional=("billingPeriod", "requiresShipping"),
)
PRODUCT_DATA = obj({"product": PRODUCT})
PRICE_INPUT = obj(
    {
        "amount": AMOUNT,
        "taxCategory": {"enum": TAX_CATEGORIES},
        "taxIncluded": BOOL,
        "trialAmount": AMOUNT,
    },
    optional=("taxIncluded", "trialAmount"),
    closed=True,
)
CONTENT = {
    "name": STRING,
    "prices": {
        "type": "object",
        "propertyNames": {"pattern": "^[A-Z]{3}$"},
        "additionalProperties": PRICE_INPUT,
    },
    "description": nullable(STRING),
    "media": {"type": "array", "items": OBJECT},
    "successUrl": nullable({"type": "string", "format": "uri"}),
    "metadata": OBJECT,
    "billingPeriod": {"enum": PERIODS, "description": "Subscription products only"},
    "requiresShipping": BOOL,
}
OPTIONAL_CONTENT = tuple(name for name in CONTENT if name not in ("name", "prices"))
CREATE = obj({"storeId": STORE_ID, **CONTENT}, optional=OPTIONAL_CONTENT)
UPDATE = obj({"id": PRODUCT_ID, **CONTENT}, optional=tuple(CONTENT))
PUBLISH = obj({"id": PRODUCT_ID})
STATUS = obj({"id": PRODUCT_ID, "status": {"enum": ["active", "inactive"]}})
