"""axe-core over the hosted pages (issue 19, "Done when"): every page of the i18n page table
(tests/test_i18n_pages.py: checkout, with errors, with a trial, shipping steps, already paid,
receipt, processing, expired, not found, authenticate, storefront, cart unavailable, home),
the customer portal (list, order, update card, plan choice), the plan change page and the
invoice page, at desktop width and at 390 px, failing on any serious or critical violation.

The page is rendered by the test client (the test database, no live server) and handed to
Chromium through a route on a made-up origin, its static files read from static/. axe is
injected with ``add_script_tag``, which the pages' strict CSP (nonce scripts only) would
refuse: the test context alone sets ``bypass_csp=True``; the CSP itself is checked by the
other browser tests.
"""

import mimetypes
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.browser_support import TIMEOUT_MS
from tests.plan_change_support import group, plan_at
from tests.portal_support import order_url, portal_url, sign_in
from tests.subscription_support import subscribe, subscription_product
from tests.test_i18n_pages import pages  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser]

AXE = Path("tests/sdk/node_modules/axe-core/axe.min.js")
ORIGIN = "http://pages.test"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BLOCKING = {"serious", "critical"}


def serve(route, html: str):
    url = route.request.url
    if url.startswith(ORIGIN + "/static/"):
        file = Path("static") / url[len(ORIGIN + "/static/") :].split("?")[0]
        if file.is_file():
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return route.fulfill(status=200, body=file.read_bytes(), content_type=kind)
        return route.fulfill(status=404, body="")
    if url.startswith(ORIGIN):
        return route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
    return route.abort()  # no third party: Stripe's script and the like are not loaded


def violations(browser, html: str, viewport: dict) -> list[dict]:
    context = browser.new_context(locale="en-US", viewport=viewport, bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.route("**/*", lambda route: serve(route, html))
        page.goto(ORIGIN + "/page")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .map(v => ({id: v.id, impact: v.impact,
                             nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
        )
    finally:
        context.close()
    return [item for item in found if item["impact"] in BLOCKING]


@pytest.mark.django_db
@pytest.mark.parametrize("width", sorted(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_serious_or_critical_axe_violation(browser, client, pages, width, language):  # noqa: F811
    assert AXE.is_file(), "axe-core missing: npm ci --prefix tests/sdk"
    failures = {}
    for name, render in pages.items():
        html = render(client, language).content.decode()
        found = violations(browser, html, VIEWPORTS[width])
        if found:
            failures[name] = found
    assert failures == {}, failures


def test_the_harness_reports_a_critical_violation(browser):
    # The check can fail: an unlabelled input and an image without alt text are caught.
    html = '<!doctype html><html lang="en"><title>t</title><main><img src="/x.png"><input></main>'

    found = violations(browser, html, VIEWPORTS["phone"])

    assert {"image-alt", "label"} <= {item["id"] for item in found}


@pytest.mark.django_db
@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_portal_and_invoice_pages_have_no_serious_axe_violation(
    browser,
    client,
    pages,  # noqa: F811  (the fixture imported above)
    store,
    width,
):
    subscription = subscribe(subscription_product(store, name="Pro plan"))
    portal = Client()
    sign_in(portal, store)
    receipt = pages["receipt"](client, "en").content.decode()
    invoice = re.search(r'href="([^"]*/invoice/[^".]+)"', receipt)
    urls = {
        "portal": portal_url(store),
        "portal order": order_url(subscription.order),
        "portal card": order_url(subscription.order, "/card"),
    }
    failures = {}
    for name, url in urls.items():
        response = portal.get(url)
        assert response.status_code == 200, name
        found = violations(browser, response.content.decode(), VIEWPORTS[width])
        if found:
            failures[name] = found
    assert invoice, "the receipt links its invoice"
    found = violations(browser, client.get(invoice[1]).content.decode(), VIEWPORTS[width])
    if found:
        failures["invoice"] = found
    assert failures == {}, failures


@pytest.mark.django_db
@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_plan_pages_have_no_serious_axe_violation(browser, store, width):
    basic, pro = plan_at(store, "10.00", "Basic"), plan_at(store, "30.00", "Pro")
    group(store, basic, pro)
    subscription = subscribe(basic)
    portal = Client()
    sign_in(portal, store)
    plans = order_url(subscription.order, "/plan")
    opened = portal.post(plans, {"plan": store.products.get(test_version__name="Pro").public_id})
    assert opened.status_code == 303
    failures = {}
    for name, url in {"plan choice": plans, "plan change": opened["Location"]}.items():
        response = portal.get(url)
        assert response.status_code == 200, name
        found = violations(browser, response.content.decode(), VIEWPORTS[width])
        if found:
            failures[name] = found
    assert failures == {}, failures
