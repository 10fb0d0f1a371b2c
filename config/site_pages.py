"""The platform's own pages at the root: a home page saying what this server is, the
favicon every browser asks for, and robots.txt keeping checkouts and receipts (one-time,
personal pages) out of search engines.

The home page takes no input and runs no script, so its policy is stricter than the hosted
pages': nothing but this origin's stylesheet and images, no forms, no scripts.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.csp import CSP
from django.views.decorators.cache import cache_control
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from checkout.web.pages import page

HOME_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}

# Checkout and receipt pages live under /store/<slug>/checkout/; cart links (/c/…) lead to
# one; each store's customer portal under /store/<slug>/portal. Storefronts (/store/<slug>/)
# stay crawlable: a merchant may want them found.
ROBOTS_TXT = """\
User-agent: *
Disallow: /store/*/checkout/
Disallow: /store/*/portal
Disallow: /c/
Disallow: /checkout/
Disallow: /admin/
Disallow: /v1/
Disallow: /partner/
Disallow: /payments/
"""


@require_safe
@csp_override(HOME_CSP)
def home(request):
    context = {"docs_url": settings.PLATFORM_DOCS_URL, "admin_url": "/admin/"}
    return page(request, "platform/home.html", context)


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers (and the admin, which links no icon) ask for /favicon.ico: the SVG icon."""
    return HttpResponseRedirect(static("favicon.svg"))
