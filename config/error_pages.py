"""Project-wide 404 and CSRF-failure pages: JSON envelopes under /v1/, our own HTML elsewhere.

Django's defaults would show a bare page; hosted-page visitors get a page in our style and
API clients always get the envelope.
"""

from django.http import JsonResponse
from django.shortcuts import render

from core.api.errors import dialect_for_path, error_body, not_found_response, server_error_response


def page_not_found(request, exception=None):
    dialect = dialect_for_path(request.path)
    if dialect is not None:
        return not_found_response(dialect=dialect)
    return render(request, "checkout/not_found.html", {"message": ""}, status=404)


def csrf_failure(request, reason=""):
    dialect = dialect_for_path(request.path)
    if dialect is None and request.path.endswith(".json"):
        dialect = "actions"  # the hosted pages' script steps (checkout.web.shipping_json)
    if dialect is not None:
        return JsonResponse(error_body(dialect, 403, "Forbidden", "gateway"), status=403)
    return render(
        request,
        "checkout/not_found.html",
        {
            "heading": "This form has expired",
            "message": "Please reload the page and try again.",
        },
        status=403,
    )


def server_error(request):
    """Nothing about the failure is shown; the log line carries the request ID."""
    dialect = dialect_for_path(request.path)
    if dialect is not None:
        return server_error_response(dialect)
    return render(
        request,
        "checkout/not_found.html",
        {
            "heading": "Something went wrong",
            "message": "Something went wrong on our side. Please try again in a moment.",
        },
        status=500,
    )
