"""How each authentication class of the API appears in the OpenAPI description.

drf-spectacular reads every view's ``authentication_classes`` and asks these extensions for
the security scheme; a view that accepts several kinds lists each as an alternative. The
signed key is one requirement of three headers sent together.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

SIGNATURE = (
    "base64 RSA-SHA256 (PKCS#1 v1.5) signature over METHOD, PATH (no host, no query), "
    "X-Timestamp and base64(sha256(raw body)), joined by newlines"
)


class SignedApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "stores.api.authentication.SignedApiKeyAuthentication"
    name = ["merchantId", "timestamp", "signature"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "apiKey", "in": "header", "name": "X-Merchant-Id"},
            {"type": "apiKey", "in": "header", "name": "X-Timestamp", "description": "Unix s"},
            {"type": "apiKey", "in": "header", "name": "X-Signature", "description": SIGNATURE},
        ]


class StoreSlugScheme(OpenApiAuthenticationExtension):
    target_class = "checkout.api.authentication.StoreSlugAuthentication"
    name = "storeSlug"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Store-Slug",
            "description": "Public, browser side; X-Environment is required with it",
        }


class CustomerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "checkout.api.authentication.CustomerTokenAuthentication"
    name = "customerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Customer session token; X-Environment is required with it",
        }


class CartCustomerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "checkout.api.cart_dialect.CartCustomerTokenAuthentication"
    name = "cartCustomerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Customer session token of /checkout/cst; X-Environment optional",
        }


class SecretKeyScheme(OpenApiAuthenticationExtension):
    target_class = "stores.api.secret_keys.SecretKeyAuthentication"
    name = "secretKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A merchant secret key, sk_…"}


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "partners.authentication.PartnerTokenAuthentication"
    name = "partnerOAuth"

    def get_security_requirement(self, auto_schema):
        return {self.name: ["baskets"]}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/partner/oauth/token",
                    "scopes": {"baskets": "Create, change, validate and hand over baskets"},
                }
            },
        }
