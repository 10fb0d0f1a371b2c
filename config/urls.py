from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("v1/", include("config.api_urls")),
    path("store/", include("checkout.urls")),
    path("partner/", include("partners.urls")),
    path("payments/", include("payments.urls")),
    path("", include("checkout.cart_urls")),
]

handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"
