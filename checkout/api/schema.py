"""OpenAPI shapes of the checkout actions and of the cart checkout API (seed 002).

They mirror ``checkout.api.representations``, ``checkout.api.cart_representations`` and the
parsers (``checkout.session_request``, ``checkout.billing``, ``checkout.shipping``).
"""

from catalog.api.schema import PRODUCT_ID, TAX_CATEGORIES
from core.api.openapi_shapes import (
    AMOUNT,
    BOOL,
    CURRENCY,
    OBJECT,
    RATE,
    STRING,
    TIME,
    nullable,
    obj,
)
from stores.api.schema import STORE_ID

SESSION_ID = {"type": "string", "pattern": "^cs_"}
COUNTRY = {"type": "string", "pattern": "^[A-Z]{2}$"}
BILLING_DETAIL = obj(
    {
        "country": COUNTRY,
        "isBusiness": BOOL,
        "postcode": {"type": "string", "maxLength": 16},
        "state": {"type": "string", "maxLength": 8},
        "businessName": {"type": "string", "maxLength": 200},
        "taxId": {"type": "string", "maxLength": 32},
    },
    optional=("postcode", "state", "businessName", "taxId"),
    closed=True,
)
PAYMENT_METHODS = {"type": "array", "items": {"enum": ["card", "applepay", "googlepay", "wechat"]}}
CREATE_SESSION = obj(
    {
        "productId": PRODUCT_ID,
        "currency": CURRENCY,
        "billingDetail": BILLING_DETAIL,
        "buyerEmail": {"type": "string", "format": "email"},
        "successUrl": {"type": "string", "format": "uri"},
        "darkMode": BOOL,
        "language": STRING,
        "includePaymentMethods": PAYMENT_METHODS,
        "excludePaymentMethods": PAYMENT_METHODS,
        "priceSnapshot": obj(
            {"amount": AMOUNT, "taxCategory": {"enum": TAX_CATEGORIES}, "taxIncluded": BOOL},
            optional=("taxIncluded",),
        ),
        "expiresInSeconds": {"type": "integer", "minimum": 60, "maximum": 604800},
        "metadata": OBJECT,
        "orderMerchantExternalId": {"type": "string", "maxLength": 128},
        "withTrial": BOOL,
    },
    optional=(
        "billingDetail",
        "buyerEmail",
        "successUrl",
        "darkMode",
        "language",
        "includePaymentMethods",
        "excludePaymentMethods",
        "priceSnapshot",
        "expiresInSeconds",
        "metadata",
        "orderMerchantExternalId",
        "withTrial",
    ),
)
SESSION = obj({"sessionId": STRING, "checkoutUrl": STRING, "expiresAt": TIME})
PREVIEW_TAX = obj({"checkoutSessionId": SESSION_ID, "billingDetail": BILLING_DETAIL})
TAX = obj(
    {
        "subtotal": AMOUNT,
        "taxAmount": AMOUNT,
        "total": AMOUNT,
        "taxRate": RATE,
        "taxName": nullable(STRING),
        "currency": CURRENCY,
        "reverseCharge": BOOL,
    }
)
ISSUE_TOKEN = obj(
    {"buyerIdentity": STRING, "storeId": STORE_ID, "productId": PRODUCT_ID},
    optional=("storeId", "productId"),
)
TOKEN = obj({"token": STRING, "expiresAt": TIME})

# --- template carts (actions API) -----------------------------------------------------
CART_ITEMS = {
    "type": "array",
    "items": obj({"productId": PRODUCT_ID, "quantity": {"type": "integer", "minimum": 1}}),
}
TEMPLATE_CART = obj(
    {
        "id": STRING,
        "storeId": STRING,
        "environment": {"enum": ["test", "prod"]},
        "name": nullable(STRING),
        "currency": CURRENCY,
        "items": {
            "type": "array",
            "items": obj({"productId": STRING, "quantity": {"type": "integer"}}),
        },
        "successUrl": nullable(STRING),
        "active": BOOL,
        "url": STRING,
        "qrPngUrl": STRING,
        "qrSvgUrl": STRING,
        "createdAt": TIME,
        "updatedAt": TIME,
    }
)
CART_DATA = obj({"cart": TEMPLATE_CART})
CREATE_CART = obj(
    {
        "storeId": STORE_ID,
        "name": nullable(STRING),
        "currency": CURRENCY,
        "items": CART_ITEMS,
        "successUrl": nullable({"type": "string", "format": "uri"}),
    },
    optional=("name", "successUrl"),
)
UPDATE_CART = obj(
    {
        "id": STRING,
        "name": nullable(STRING),
        "items": CART_ITEMS,
        "successUrl": nullable({"type": "string", "format": "uri"}),
        "active": BOOL,
    },
    optional=("name", "items", "successUrl", "active"),
)

# --- the cart checkout API (seed 002) -----------------------------------------------------
QR = obj(
    {
        "cart_id": STRING,
        "url": STRING,
        "png_url": STRING,
        "svg_url": STRING,
        "size": {"type": "integer"},
        "margin": {"type": "integer"},
    }
)
BEGIN = obj(
    {
        "checkout_session_id": STRING,
        "checkout_url": STRING,
        "expires_at": TIME,
        "status": {"enum": ["open", "completed", "expired"]},
        "template_cart_id": STRING,
        "currency": CURRENCY,
        "requires_shipping": BOOL,
        "lines": {
            "type": "array",
            "items": obj(
                {
                    "product_id": STRING,
                    "name": STRING,
                    "quantity": {"type": "integer"},
                    "unit_amount": AMOUNT,
                    "total": AMOUNT,
                }
            ),
        },
        "subtotal": AMOUNT,
    }
)
BUYER_INFO = obj(
    {
        "first_name": {"type": "string", "maxLength": 100},
        "last_name": {"type": "string", "maxLength": 100},
        "address1": STRING,
        "address2": STRING,
        "city": {"type": "string", "maxLength": 100},
        "country_code": COUNTRY,
        "province_code": {"type": "string", "maxLength": 8},
        "postal_code": {"type": "string", "maxLength": 12},
        "phone": {"type": "string", "maxLength": 20},
        "email": {"type": "string", "format": "email"},
    },
    optional=("address2", "province_code", "postal_code", "phone", "email"),
    closed=True,
)
SET_SHIPPING = obj(
    {
        "cart_id": SESSION_ID,
        "buyer_info": BUYER_INFO,
        "payment_intent_id": {"type": "string", "maxLength": 128},
    },
    optional=("payment_intent_id",),
    closed=True,
)
SELECT_METHOD = obj({"cart_id": SESSION_ID, "shipping_method_id": {"type": "integer"}}, closed=True)
SHIPPING_METHOD = obj(
    {
        "id": {"type": "integer"},
        "name": STRING,
        "amount": AMOUNT,
        "delivery_estimate": nullable(STRING),
    }
)
SHIPPING = obj(
    {
        "cart_id": STRING,
        "buyer_info": nullable(OBJECT),
        "shipping_methods": {"type": "array", "items": SHIPPING_METHOD},
        "selected_shipping_method_id": nullable({"type": "integer"}),
        "totals": obj(
            {
                "currency": CURRENCY,
                "subtotal": AMOUNT,
                "shipping": nullable(AMOUNT),
                "tax": AMOUNT,
                "total": AMOUNT,
            }
        ),
    }
)
PREFILL = {
    name: {"type": "string", "maxLength": limit}
    for name, limit in {
        "address1": 200,
        "address2": 200,
        "city": 100,
        "country_code": 2,
        "email": 254,
        "first_name": 100,
        "last_name": 100,
        "phone": 20,
        "postal_code": 12,
        "province_code": 8,
    }.items()
}
MINT_TOKEN = obj({"cart_id": SESSION_ID, **PREFILL}, optional=tuple(PREFILL), closed=True)
CART_TOKEN = obj({"token": STRING, "expires_at": TIME, "checkout_url": STRING})
