"""Fallback for unknown ``/v1/`` routes: an envelope 404, whatever DEBUG says."""

from django.views.decorators.csrf import csrf_exempt

from core.api.errors import not_found_response


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    return not_found_response()
