"""Routes of the actions API (``/v1/``). Anything else under ``/v1/`` is an envelope 404."""

from django.urls import path, re_path

from catalog.api import actions as products
from catalog.models import ProductType
from core.api.routing import api_not_found
from stores.api import actions as stores


def product_routes(resource: str, product_type: str) -> list:
    verbs = {
        "create-product": products.CreateProduct,
        "update-product": products.UpdateProduct,
        "publish-product": products.PublishProduct,
        "update-status": products.UpdateProductStatus,
    }
    return [
        path(f"actions/{resource}/{verb}", view.as_view(product_type=product_type))
        for verb, view in verbs.items()
    ]


urlpatterns = [
    path("actions/store/create-store", stores.CreateStore.as_view()),
    path("actions/store/update-store", stores.UpdateStore.as_view()),
    path("actions/store/delete-store", stores.DeleteStore.as_view()),
    *product_routes("onetime-product", ProductType.ONETIME),
    *product_routes("subscription-product", ProductType.SUBSCRIPTION),
    re_path(r"^.*$", api_not_found),
]
