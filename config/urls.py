from django.contrib import admin
from django.urls import include, path

from config import site_pages
from subscriptions import change_web

urlpatterns = [
    path("", site_pages.home, name="home"),
    path("robots.txt", site_pages.robots_txt, name="robots-txt"),
    path("favicon.ico", site_pages.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("v1/", include("config.api_urls")),
    path("store/", include("subscriptions.web.urls")),
    path("store/<str:slug>/change/<str:change_id>", change_web.change_page, name="plan-change"),
    path("store/", include("checkout.urls")),
    path("store/", include("orders.urls")),
    path("partner/", include("partners.urls")),
    path("payments/", include("payments.urls")),
    path("", include("checkout.cart_urls")),
]

handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"
