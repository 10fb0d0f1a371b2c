"""Hosted pages: storefront, checkout with its shipping step, receipt (``/store/<slug>/…``).

Slugs and session IDs are matched as plain strings so that anything malformed reaches the
views and gets our own "not found" page.
"""

from django.urls import path

from checkout.web import checkout_page, receipt, shipping_json, shipping_pages, storefront

app_name = "checkout"
urlpatterns = [
    path("<str:slug>/", storefront.storefront, name="storefront"),
    path("<str:slug>/buy", storefront.buy, name="buy"),
    path("<str:slug>/checkout/<str:session_id>", checkout_page.checkout_page, name="checkout"),
    path("<str:slug>/checkout/<str:session_id>/pay", checkout_page.pay, name="pay"),
    path(
        "<str:slug>/checkout/<str:session_id>/return",
        checkout_page.payment_return,
        name="payment-return",
    ),
    path(
        "<str:slug>/checkout/<str:session_id>/token",
        checkout_page.refresh_token,
        name="refresh-token",
    ),
    path(
        "<str:slug>/checkout/<str:session_id>/shipping",
        shipping_pages.shipping_address,
        name="shipping",
    ),
    path(
        "<str:slug>/checkout/<str:session_id>/shipping-method",
        shipping_pages.shipping_method,
        name="shipping_method",
    ),
    path(
        "<str:slug>/checkout/<str:session_id>/shipping.json",
        shipping_json.shipping_address_json,
        name="shipping-json",
    ),
    path(
        "<str:slug>/checkout/<str:session_id>/shipping-method.json",
        shipping_json.shipping_method_json,
        name="shipping-method-json",
    ),
    path("<str:slug>/checkout/<str:session_id>/receipt", receipt.receipt, name="receipt"),
]
