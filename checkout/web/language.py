"""Hosted pages speak the buyer's language; the admin and the APIs stay English.

Django's ``LocaleMiddleware`` would translate every path (the admin, API error bodies whose
wording is the contract), so this one activates a catalog only for the views of hosted
pages (``checkout.web``, the platform's home page, the invoice page, the customer portal and
the plan change page), chosen as ``checkout.web.locale``
says: the session's language, the browser's, the store's default. Everything the view builds
then reads the same catalog, down to a field error made in Python. The language is dropped
when the response leaves, so a thread never carries one buyer's language into the next
request. A page whose language belongs to an object the URL names that is not a checkout
session (a portal order, a plan change) passes it to ``page(language=...)`` and builds its
texts under ``translation.override``. The session it read is handed to the view
(``found_session``), so a page costs no extra query for knowing its language.
"""

from contextvars import ContextVar

from django.utils import translation

from checkout.selectors import session_by_public_id
from checkout.web.locale import locale_for_request
from stores.models import Store

HOSTED_MODULES = (
    "checkout.web.",
    "config.site_pages",
    "orders.web.",  # the buyer's invoices and credit notes
    "subscriptions.web.",  # the customer portal
    "subscriptions.change_web",  # the plan change confirmation page
)
_FOUND: ContextVar[dict | None] = ContextVar("hosted_sessions", default=None)
MISSING = object()


def found_session(session_id: str):
    """The session this request's language was chosen from (once), else ``MISSING``."""
    found = _FOUND.get()
    return found.pop(session_id, MISSING) if found else MISSING


def _is_hosted(view_func) -> bool:
    module = getattr(view_func, "__module__", "") or ""
    return module.startswith(HOSTED_MODULES)


def _session_and_store(kwargs: dict):
    session = store = None
    if "session_id" in kwargs:
        session = session_by_public_id(kwargs["session_id"])
        _FOUND.get()[kwargs["session_id"]] = session
        if session is not None and session.store.slug != kwargs.get("slug"):
            session = None
    if session is None and "slug" in kwargs:
        store = Store.objects.filter(slug=kwargs["slug"], deleted_at__isnull=True).first()
    return session, store


class HostedLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = _FOUND.set({})
        try:
            return self.get_response(request)
        finally:
            _FOUND.reset(found)
            translation.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _is_hosted(view_func):
            return None
        session, store = _session_and_store(view_kwargs)
        locale = locale_for_request(request, session, store)
        translation.activate(locale.language)
        request.LANGUAGE_CODE = locale.language
        return None
