"""OpenAPI shapes of the order actions (``orders.api.representations.order_json``)."""

from checkout.api.schema import BILLING_DETAIL, SESSION_ID
from core.api.openapi_shapes import AMOUNT, CURRENCY, OBJECT, RATE, STRING, TIME, nullable, obj

LINE = obj(
    {
        "kind": {"enum": ["product", "shipping"]},
        "productId": nullable(STRING),
        "productVersionId": nullable(STRING),
        "name": STRING,
        "quantity": {"type": "integer"},
        "unitAmount": AMOUNT,
        "subtotal": AMOUNT,
        "taxAmount": AMOUNT,
        "total": AMOUNT,
        "taxRate": RATE,
    }
)
ORDER = obj(
    {
        "orderId": {"type": "string", "pattern": "^ORD_"},
        "status": STRING,
        "checkoutSessionId": STRING,
        "storeId": STRING,
        "currency": CURRENCY,
        "subtotal": AMOUNT,
        "taxAmount": AMOUNT,
        "total": AMOUNT,
        "taxRate": RATE,
        "taxName": nullable(STRING),
        "buyerEmail": STRING,
        "billingDetail": OBJECT,
        "orderMerchantExternalId": nullable(STRING),
        "metadata": OBJECT,
        "lines": {"type": "array", "items": LINE},
        "createdAt": TIME,
    }
)
CREATE = obj(
    {
        "checkoutSessionId": SESSION_ID,
        "billingDetail": BILLING_DETAIL,
        "buyerEmail": {"type": "string", "format": "email"},
    },
    optional=("buyerEmail",),
)
CANCEL = obj({"orderId": {"type": "string", "pattern": "^ORD_[0-7][0-9A-Za-z]{21}$"}})
CANCELED = obj({"orderId": STRING, "status": STRING})
