"""Hosted pages: storefront, checkout with its shipping step, receipt (``/store/<slug>/…``).

Slugs and session IDs are matched as plain strings so that anything malformed reaches the
views and gets our own "not found" page.
"""

from django.urls import path

from checkout import views

app_name = "checkout"
urlpatterns = [
    path("<str:slug>/", views.storefront, name="storefront"),
    path("<str:slug>/buy", views.buy, name="buy"),
    path("<str:slug>/checkout/<str:session_id>", views.checkout_page, name="checkout"),
    path("<str:slug>/checkout/<str:session_id>/pay", views.pay, name="pay"),
    path("<str:slug>/checkout/<str:session_id>/token", views.refresh_token, name="refresh-token"),
    path(
        "<str:slug>/checkout/<str:session_id>/shipping",
        views.shipping_address,
        name="shipping",
    ),
    path(
        "<str:slug>/checkout/<str:session_id>/shipping-method",
        views.shipping_method,
        name="shipping_method",
    ),
    path("<str:slug>/checkout/<str:session_id>/receipt", views.receipt, name="receipt"),
]
