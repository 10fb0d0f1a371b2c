"""The live tax preview is never stale (issue 19, point 3): whatever order the buyer changes
country and state in, the page shows the quote for what the form holds now, or none, and
Pay waits, saying why, while the billing details are incomplete.

Debian's Chromium against the live server, as in tests/test_browser_checkout.py. The
product is the default one: $29.00 of digital goods.
"""

import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser_support import make_product, make_session, make_store
from tests.test_browser_checkout import fill_card, open_checkout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNTAXED = "$29.00"
CHOOSE_STATE = "To pay, choose your state: sales tax depends on it."
CHOOSE_PROVINCE = "To pay, choose your province: tax depends on it."
CHOOSE_COUNTRY = "To pay, choose your country: tax depends on it."
FRENCH = '"country":"FR"'
BAD_POSTCODE = "To pay, enter a valid postal code or leave it empty."


@pytest.fixture
def session(site):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")
    return make_session(merchant=merchant, product=product)


def wait_for_quote(page, label: str, total: str) -> None:
    page.wait_for_function(
        "([label, total]) => document.getElementById('summary-tax-label').textContent === label"
        " && document.getElementById('summary-total').textContent === total"
        " && !document.getElementById('summary-tax-row').hidden",
        arg=[label, total],
    )
    assert page.inner_text("#pay-amount") == total
    assert page.is_enabled("#pay-button")
    assert not page.is_visible("#pay-reason")
    assert page.get_attribute("#pay-button", "aria-describedby") is None


def assert_no_quote(page, reason: str) -> None:
    """Checked right after the change, without waiting: clearing is synchronous."""
    assert not page.is_visible("#summary-tax-row")
    assert page.inner_text("#summary-subtotal") == UNTAXED
    assert page.inner_text("#summary-total") == UNTAXED
    assert page.inner_text("#pay-amount") == ""
    assert page.inner_text("#summary-note") == "Tax calculated at payment."
    assert page.is_disabled("#pay-button")
    assert page.inner_text("#pay-reason") == reason
    assert page.get_attribute("#pay-button", "aria-describedby") == "pay-reason"


def test_france_then_united_states_before_a_state_clears_the_quote(page, site, session):
    open_checkout(page, site, session)
    page.select_option("#country", "FR")
    wait_for_quote(page, "VAT 20%", "$34.80")

    page.select_option("#country", "US")
    assert_no_quote(page, CHOOSE_STATE)

    page.select_option("#state_us", "TX")
    wait_for_quote(page, "Sales tax 6.25%", "$30.81")


def test_one_state_then_another_shows_only_the_new_quote(page, site, session):
    open_checkout(page, site, session)
    page.select_option("#country", "US")
    page.select_option("#state_us", "TX")
    wait_for_quote(page, "Sales tax 6.25%", "$30.81")

    page.select_option("#state_us", "WA")
    # At once the Texas figures are gone, before Washington's answer arrives.
    assert page.inner_text("#pay-amount") in ("", "$30.89")
    assert page.inner_text("#summary-total") in (UNTAXED, "$30.89")
    wait_for_quote(page, "Sales tax 6.5%", "$30.89")

    page.select_option("#state_us", "")
    assert_no_quote(page, CHOOSE_STATE)


def test_united_states_then_germany_then_canada_then_no_country(page, site, session):
    open_checkout(page, site, session)
    page.select_option("#country", "US")
    assert_no_quote(page, CHOOSE_STATE)  # en-US guesses the country, not the state
    page.select_option("#state_us", "TX")
    wait_for_quote(page, "Sales tax 6.25%", "$30.81")

    page.select_option("#country", "DE")
    wait_for_quote(page, "VAT 19%", "$34.51")

    page.select_option("#country", "CA")
    assert_no_quote(page, CHOOSE_PROVINCE)
    page.select_option("#state_ca", "ON")
    wait_for_quote(page, "HST 13%", "$32.77")

    page.select_option("#country", "")
    assert_no_quote(page, CHOOSE_COUNTRY)


def test_a_state_chosen_before_switching_away_counts_again_on_return(page, site, session):
    open_checkout(page, site, session)
    page.select_option("#country", "US")
    page.select_option("#state_us", "TX")
    wait_for_quote(page, "Sales tax 6.25%", "$30.81")
    page.select_option("#country", "FR")
    wait_for_quote(page, "VAT 20%", "$34.80")

    page.select_option("#country", "US")  # the state select still holds Texas
    wait_for_quote(page, "Sales tax 6.25%", "$30.81")


def test_an_invalid_postcode_clears_the_quote_until_corrected(page, site, session):
    open_checkout(page, site, session)
    page.select_option("#country", "DE")
    wait_for_quote(page, "VAT 19%", "$34.51")

    page.fill("#postcode", "10115!")
    assert_no_quote(page, BAD_POSTCODE)
    page.fill("#postcode", "10115")
    wait_for_quote(page, "VAT 19%", "$34.51")


def test_a_late_answer_for_an_old_country_never_lands(page, site, session):
    """The French answer is held back until after the buyer moved on to the United States:
    the page dropped it, and shows no French VAT."""
    held = []

    def hold_french(route):
        if FRENCH in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/v1/actions/checkout/preview-tax", hold_french)
    open_checkout(page, site, session)
    with page.expect_event("request", lambda r: FRENCH in (r.post_data or "")):
        page.select_option("#country", "FR")
    with page.expect_event("requestfailed", lambda r: FRENCH in (r.post_data or "")):
        page.select_option("#country", "US")  # aborts the French preview
    assert_no_quote(page, CHOOSE_STATE)
    page.select_option("#state_us", "TX")
    wait_for_quote(page, "Sales tax 6.25%", "$30.81")
    for route in held:
        with contextlib.suppress(PlaywrightError):  # the page cancelled it, as it should
            route.continue_()
    assert page.inner_text("#summary-tax-label") == "Sales tax 6.25%"


def test_pay_works_once_the_state_is_chosen(page, site, session):
    open_checkout(page, site, session)
    page.fill("#email", "buyer@example.com")
    page.select_option("#country", "US")
    fill_card(page, "4242 4242 4242 4242")
    assert page.is_disabled("#pay-button")
    page.select_option("#state_us", "TX")
    wait_for_quote(page, "Sales tax 6.25%", "$30.81")
    page.click("#pay-button")
    page.wait_for_url("**/receipt")
    assert "Thank you for your purchase" in page.inner_text("h1")
