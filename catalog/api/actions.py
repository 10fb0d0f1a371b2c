"""``onetime-product/*`` and ``subscription-product/*`` actions over ``catalog.services``.

One view class per verb serves both product types; the URL decides which type it is, and
a product of the other type answers 404 like any product the merchant cannot see.
"""

from django.db import transaction

from catalog import selectors, services
from catalog.api import schema
from catalog.api.representations import product_json
from catalog.models import Product
from core.api.access import StoreOf
from core.api.openapi import action
from core.api.params import optional, required_short_id
from core.api.views import ActionView
from stores.roles import Capability
from stores.selectors import store_membership

CONTENT_FIELDS = {
    "name": "name",
    "prices": "prices",
    "description": "description",
    "media": "media",
    "successUrl": "success_url",
    "metadata": "metadata",
    "billingPeriod": "billing_period",
    "requiresShipping": "requires_shipping",
}


class ProductAction(ActionView):
    product_type: str = ""
    capability, store_of = Capability.CATALOG, StoreOf("id", "PROD", Product)

    def detail(self, request, product) -> dict:
        environment = request.auth.environment
        version = product.version_in(environment) or product.test_version
        prices = selectors.version_prices(version_id=version.pk)
        return {"product": product_json(product, version, prices, environment)}

    def locked_product(self, request, payload):
        product_id = required_short_id(payload, "id", "PROD", layer="product")
        return selectors.product_for_merchant(
            merchant_id=request.auth.merchant_id,
            product_id=product_id,
            product_type=self.product_type,
            for_update=True,
        )


@action(tag="product", summary="Create a product", request=schema.CREATE, data=schema.PRODUCT_DATA)
class CreateProduct(ProductAction):
    store_of = StoreOf("storeId", "STO")

    def perform(self, request, payload):
        store_id = required_short_id(payload, "storeId", "STO", layer="product")
        store = store_membership(merchant_id=request.auth.merchant_id, store_id=store_id).store
        fields = {arg: payload.get(name) for name, arg in CONTENT_FIELDS.items()}
        product = services.product_create(store=store, product_type=self.product_type, **fields)
        return self.detail(request, product)


@action(
    tag="product",
    summary="Update a product (new version)",
    request=schema.UPDATE,
    data=schema.PRODUCT_DATA,
)
class UpdateProduct(ProductAction):
    def perform(self, request, payload):
        with transaction.atomic():
            product = self.locked_product(request, payload)
            fields = {arg: optional(payload, name) for name, arg in CONTENT_FIELDS.items()}
            product = services.product_update(product=product, **fields)
        return self.detail(request, product)


@action(
    tag="product", summary="Publish test to prod", request=schema.PUBLISH, data=schema.PRODUCT_DATA
)
class PublishProduct(ProductAction):
    def perform(self, request, payload):
        with transaction.atomic():
            product = services.product_publish(product=self.locked_product(request, payload))
        return self.detail(request, product)


@action(
    tag="product", summary="Activate or deactivate", request=schema.STATUS, data=schema.PRODUCT_DATA
)
class UpdateProductStatus(ProductAction):
    def perform(self, request, payload):
        with transaction.atomic():
            product = services.product_set_status(
                product=self.locked_product(request, payload),
                environment=request.auth.environment,
                status=payload.get("status"),
            )
        return self.detail(request, product)
