"""Hosted pages: storefront, checkout, receipt (``/store/<slug>/…``)."""

app_name = "checkout"
urlpatterns: list = []
