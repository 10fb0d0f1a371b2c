"""The application's routes and the baseline: a view that does nothing on the same stack."""

from django.http import JsonResponse
from django.urls import include, path


def noop(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/noop", noop),
    path("", include("config.urls")),
]

handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"
