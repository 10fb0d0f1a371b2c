"""Cart checkout API (seed 002): ``/checkout/…`` and the public cart link ``/c/<cart_id>``.

IDs are matched as plain strings so that anything malformed reaches the views and gets the
dialect's 404; any other path under ``/checkout/`` is that 404 too, never an HTML page.
"""

from django.urls import path, re_path

from checkout.api import carts
from checkout.api.cart_dialect import UnknownCartRoute
from checkout.web.cart_link import public_cart_link

urlpatterns = [
    path("checkout/begin/<str:cart_id>", carts.BeginCheckout.as_view()),
    path("checkout/shipping", carts.SetShippingAddress.as_view()),
    path("checkout/shipping/method", carts.SelectShippingMethod.as_view()),
    path("checkout/cst", carts.MintCustomerToken.as_view()),
    path("checkout/<str:cart_id>/qr", carts.CartQrView.as_view(kind="json")),
    path("checkout/<str:cart_id>/qr.png", carts.CartQrView.as_view(kind="png")),
    path("checkout/<str:cart_id>/qr.svg", carts.CartQrView.as_view(kind="svg")),
    path("c/<str:cart_id>", public_cart_link, name="public_cart"),
    re_path(r"^checkout(?:/.*)?$", UnknownCartRoute.as_view()),
]
