"""Issue 19, point 5 in a real browser (Debian's Chromium, as in test_browser_checkout.py):
Back and reload after a decline never re-post, the icon loads from this server, the page
follows the system's dark mode when nobody chose one, and the test-mode banner is one line
on a 390 px phone."""

import pytest

from payments.models import Payment
from tests.browser_support import (
    DECLINED_CARD,
    checkout_path,
    make_product,
    make_session,
    make_store,
)
from tests.test_browser_checkout import fill_billing, fill_card, open_checkout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(site):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    return make_session(merchant=merchant, product=make_product(store, name="Widget Pro"))


def test_back_and_reload_after_a_decline_never_post_again(page, site, session):
    open_checkout(page, site, session)
    fill_billing(page)
    fill_card(page, DECLINED_CARD)
    page.click("#pay-button")
    page.get_by_role("alert").wait_for()
    assert "Your card was declined." in page.inner_text("#payment-error")
    assert page.url == site + checkout_path(session)  # the GET after the 303, not /pay
    assert page.input_value("#email") == "buyer@example.com"
    assert Payment.objects.count() == 1

    page.reload()
    assert page.inner_text("h1") == "Widget Pro"
    assert page.locator("#payment-error").count() == 0  # the message was shown once
    page.go_back()
    assert page.url == site + checkout_path(session)
    assert Payment.objects.count() == 1


def test_no_request_fails_and_the_icon_is_local(page, site, session):
    failed = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    open_checkout(page, site, session)
    icon = page.get_attribute("link[rel=icon]", "href")
    assert icon == "/static/favicon.svg"
    answer = page.request.get(site + "/favicon.ico")  # follows the redirect to the SVG
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert failed == []


def background(page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def test_a_store_without_a_mode_follows_the_systems(page, site, session):
    page.emulate_media(color_scheme="dark")
    open_checkout(page, site, session)
    assert background(page) == "rgb(15, 17, 21)"  # the default dark theme

    page.emulate_media(color_scheme="light")
    assert background(page) == "rgb(247, 247, 248)"


def test_a_store_that_chose_light_stays_light_on_a_dark_system(page, site):
    merchant, store = make_store(checkout_settings={"defaultDarkMode": False})
    session = make_session(merchant=merchant, product=make_product(store))
    page.emulate_media(color_scheme="dark")
    open_checkout(page, site, session)
    assert background(page) == "rgb(247, 247, 248)"


def banner_lines(page) -> float:
    return page.evaluate(
        """() => {
          const banner = document.getElementById('test-banner');
          const style = getComputedStyle(banner);
          const inner = banner.clientHeight - parseFloat(style.paddingTop)
            - parseFloat(style.paddingBottom);
          return inner / parseFloat(style.lineHeight);
        }"""
    )


def test_the_test_banner_is_one_line_on_a_phone(page, site, session):
    page.set_viewport_size({"width": 390, "height": 844})
    open_checkout(page, site, session)
    assert page.is_visible(".test-banner-short") and not page.is_visible(".test-banner-long")
    assert page.inner_text("#test-banner") == "Test mode · card 4242 4242 4242 4242"
    assert round(banner_lines(page)) == 1

    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.is_visible(".test-banner-long") and not page.is_visible(".test-banner-short")
    assert "no real payment is made" in page.inner_text("#test-banner")
