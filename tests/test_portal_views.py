"""The customer portal's pages (Django test client): signing in with a customer token or a
receipt's link, what a visitor sees (their own orders of that store and environment, and
nothing else), cancel and undo, update card, and the pages for a bad or expired way in."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from core import tokens
from orders.models import Order
from payments.models import Payment, PaymentMethod
from payments.services import checkout_pay
from subscriptions.portal_access import order_link, portal_link_url
from subscriptions.web.session import MAX_AGE_SECONDS
from tests.checkout_factories import billing, card, make_session
from tests.factories import MerchantFactory, StoreFactory
from tests.portal_support import entry_url, order_url, portal_url, sign_in, token_for
from tests.subscription_support import DECLINES_RENEWALS, advance, subscribe, subscription_product

pytestmark = pytest.mark.django_db
FUTURE = f"12/{(timezone.now().year + 3) % 100:02d}"


@pytest.fixture
def plan(store):
    return subscription_product(store, name="Pro plan")


@pytest.fixture
def subscription(plan):
    return subscribe(plan)


def test_a_token_is_exchanged_once_for_a_strict_path_scoped_cookie(client, subscription, store):
    response = client.get(entry_url(store))

    assert response.status_code == 200
    cookie = response.cookies["portal_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == portal_url(store)
    assert int(cookie["max-age"]) == MAX_AGE_SECONDS
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.content.decode()
    assert f'content="0;url={portal_url(store)}"' in body  # on to the clean URL
    assert "token" not in cookie.value and tokens.ISSUER not in cookie.value


def test_the_portal_lists_the_buyers_subscription_with_next_charge_and_amount(
    client, subscription, store
):
    sign_in(client, store)

    response = client.get(portal_url(store))

    assert response.status_code == 200
    body = response.content.decode()
    order = subscription.order
    assert order.public_id in body and "Pro plan" in body
    assert subscription.current_period_end.strftime("%Y-%m-%d") in body
    assert "€34.51" in body or "$34.51" in body  # 29.00 + German VAT, as renewals charge
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "default-src 'none'" in csp


def test_without_a_session_the_portal_is_a_401_page(client, subscription, store):
    response = client.get(portal_url(store))

    assert response.status_code == 401
    assert "Please sign in again" in response.content.decode()
    assert client.get(order_url(subscription.order)).status_code == 401


def test_an_expired_token_is_a_401_page(client, subscription, store):
    old = timezone.now() - timedelta(minutes=10)
    token, _ = tokens.issue_customer_token(
        buyer_identity="buyer-1", store_id=str(store.pk), now=old
    )

    response = client.get(portal_url(store), {"token": token, "environment": "test"})

    assert response.status_code == 401
    assert "portal_session" not in response.cookies
    assert "This link has expired or is not valid." in response.content.decode()


def test_a_forged_token_is_a_401_page_and_another_stores_a_403(client, store):
    other = StoreFactory(owner=MerchantFactory())
    forged = client.get(portal_url(store), {"token": "not.a.jwt", "environment": "test"})
    elsewhere = client.get(portal_url(store), {"token": token_for(other), "environment": "test"})

    assert forged.status_code == 401
    assert elsewhere.status_code == 403
    assert "This link is for another store." in elsewhere.content.decode()


def test_the_environment_must_be_named(client, store):
    response = client.get(portal_url(store), {"token": token_for(store)})

    assert response.status_code == 400
    assert "portal_session" not in response.cookies


def test_a_tampered_or_old_cookie_is_no_session(client, subscription, store):
    sign_in(client, store)
    value = client.cookies["portal_session"].value
    client.cookies["portal_session"] = value.replace("buyer-1", "buyer-2")
    assert client.get(portal_url(store)).status_code == 401

    client.cookies["portal_session"] = value
    later = timezone.now().timestamp() + MAX_AGE_SECONDS + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.get(portal_url(store)).status_code == 401


def test_another_buyers_order_is_not_found_and_stays_as_it_was(client, plan, store):
    mine = subscribe(plan)
    theirs = subscribe(plan, identity="buyer-2")
    sign_in(client, store)

    listing = client.get(portal_url(store)).content.decode()
    page = client.get(order_url(theirs.order))
    cancel = client.post(order_url(theirs.order, "/cancel"))

    assert mine.order.public_id in listing and theirs.order.public_id not in listing
    assert page.status_code == 404 and cancel.status_code == 404
    assert Order.objects.get(pk=theirs.pk).status == "active"


def test_another_stores_session_does_not_open_this_stores_portal(client, subscription, store):
    other_store = StoreFactory(owner=MerchantFactory())
    other = subscribe(subscription_product(other_store))
    sign_in(client, other_store)  # the same buyer identity, in another store

    assert client.get(portal_url(store)).status_code == 401
    assert client.get(order_url(subscription.order)).status_code == 401
    assert subscription.order.public_id not in client.get(portal_url(other_store)).content.decode()
    assert other.order.public_id in client.get(portal_url(other_store)).content.decode()


def test_test_and_prod_are_separate(client, settings, store, plan):
    settings.PAYMENT_PROCESSORS = {
        **settings.PAYMENT_PROCESSORS,
        "prod": settings.PAYMENT_PROCESSORS["test"],
    }
    store.prod_enabled = True
    store.save(update_fields=["prod_enabled"])
    live_plan = subscription_product(store, publish=True)
    test_order = subscribe(plan).order
    prod_order = subscribe(live_plan, environment="prod").order

    sign_in(client, store, environment="test")
    test_listing = client.get(portal_url(store)).content.decode()
    prod_page = client.get(order_url(prod_order))
    sign_in(client, store, environment="prod")
    prod_listing = client.get(portal_url(store)).content.decode()

    assert test_order.public_id in test_listing and prod_order.public_id not in test_listing
    assert prod_page.status_code == 404
    assert prod_order.public_id in prod_listing and test_order.public_id not in prod_listing
    assert "Test mode" not in prod_listing


def test_cancel_then_undo_post_redirect_get(client, subscription, store):
    order = subscription.order
    sign_in(client, store)

    canceled = client.post(order_url(order, "/cancel"))
    assert canceled.status_code == 303
    assert canceled["Location"] == order_url(order) + "?notice=canceled"
    shown = client.get(canceled["Location"]).content.decode()
    assert Order.objects.get(pk=order.pk).status == "canceling"
    assert "Ends on" in shown and "Keep my subscription" in shown

    undone = client.post(order_url(order, "/reactivate"))
    assert undone["Location"] == order_url(order) + "?notice=reactivated"
    assert Order.objects.get(pk=order.pk).status == "active"
    again = client.post(order_url(order, "/reactivate"))
    assert again["Location"] == order_url(order) + "?notice=refused"


def test_every_post_needs_the_csrf_token(subscription, store):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, store)

    response = client.post(order_url(subscription.order, "/cancel"))

    assert response.status_code == 403
    assert Order.objects.get(pk=subscription.pk).status == "active"


def test_update_card_on_an_active_subscription_replaces_it(client, subscription, store):
    order = subscription.order
    sign_in(client, store)
    form = client.get(order_url(order, "/card")).content.decode()
    attempt = re.search(r'name="attempt" value="([0-9a-f]{32})"', form)[1]

    response = client.post(
        order_url(order, "/card"),
        {
            "attempt": attempt,
            "card_number": "5555 5555 5555 4444",
            "card_expiry": FUTURE,
            "card_cvc": "123",
        },
    )

    assert response["Location"] == order_url(order) + "?notice=card_updated"
    subscription.refresh_from_db()
    assert (subscription.payment_method.brand, subscription.payment_method.last4) == (
        "mastercard",
        "4444",
    )
    assert Payment.objects.filter(order=order).count() == 1
    assert "Mastercard ending in 4444" in client.get(response["Location"]).content.decode()


def test_update_card_past_due_retries_at_once(client, plan, store):
    subscription = subscribe(plan, number=DECLINES_RENEWALS)
    advance(subscription, periods=1)
    sign_in(client, store)

    response = client.post(
        order_url(subscription.order, "/card"),
        {"card_number": "4242 4242 4242 4242", "card_expiry": FUTURE, "card_cvc": "123"},
    )

    assert response["Location"] == order_url(subscription.order) + "?notice=card_renewed"
    assert Order.objects.get(pk=subscription.pk).status == "active"
    assert (
        Payment.objects.filter(order=subscription.order, period=2, status="succeeded").count() == 1
    )


def test_a_refused_card_comes_back_to_the_form_with_why(client, subscription, store):
    path = order_url(subscription.order, "/card")
    sign_in(client, store)

    response = client.post(path, {"card_number": "4242", "card_expiry": FUTURE, "card_cvc": "1"})
    assert (response.status_code, response["Location"]) == (303, path)
    shown = client.get(path).content.decode()
    declined = client.post(
        path, {"card_number": "4000 0000 0000 0002", "card_expiry": FUTURE, "card_cvc": "123"}
    )
    declined_page = client.get(path).content.decode()

    assert "Your card number is invalid." in shown and 'role="alert"' in shown
    assert declined["Location"] == path
    assert "Your card was declined." in declined_page
    assert "4242" not in shown.split("</form>")[0].split("<form")[1]  # never typed back


def test_the_receipt_links_to_the_portal_of_that_order_only(client, plan, store):
    first = subscribe(plan)
    second = subscribe(plan)  # the same buyer
    receipt = client.get(
        f"/store/{store.slug}/checkout/{first.order.checkout_session.public_id}/receipt"
    ).content.decode()
    manage = re.search(r'id="receipt-manage" href="([^"]+)"', receipt)[1].replace("&amp;", "&")

    entered = client.get(manage)
    listing = client.get(portal_url(store)).content.decode()

    assert "Next charge" in receipt
    assert entered.status_code == 200 and entered["Referrer-Policy"] == "no-referrer"
    assert first.order.public_id in listing and second.order.public_id not in listing
    assert client.get(order_url(second.order)).status_code == 404


def test_an_expired_or_foreign_portal_link_is_refused(client, subscription, store):
    old = timezone.now().timestamp() - 3600
    expired = order_link(order=subscription.order, seconds=60, now=old)
    other_store = StoreFactory(owner=MerchantFactory())

    assert client.get(portal_url(store), {"link": expired}).status_code == 401
    assert client.get(portal_url(store), {"link": "junk"}).status_code == 401
    link = order_link(order=subscription.order)
    assert client.get(portal_url(other_store), {"link": link}).status_code == 403


def test_a_one_time_order_is_listed_without_actions(client, store, product):
    checkout = make_session(product=product, buyerEmail="buyer@example.com")
    order = checkout_pay(
        session=checkout, billing=billing("DE"), card=card(), buyer_identity="buyer-1"
    ).order
    sign_in(client, store)

    page = client.get(order_url(order)).content.decode()
    refused = client.post(order_url(order, "/cancel"))

    assert order.public_id in client.get(portal_url(store)).content.decode()
    assert 'id="cancel"' not in page and 'id="update-card"' not in page
    assert refused["Location"] == order_url(order) + "?notice=refused"


def test_signing_out_drops_the_cookie(client, subscription, store):
    sign_in(client, store)

    response = client.post(portal_url(store, "/sign-out"))

    assert response.status_code == 303
    assert response.cookies["portal_session"].value == ""
    assert client.get(portal_url(store)).status_code == 401


def test_the_merchants_site_may_post_the_token(subscription, store):
    client = Client(enforce_csrf_checks=True)  # posted from another site: no CSRF token

    response = client.post(
        portal_url(store, "/enter"), {"token": token_for(store), "environment": "test"}
    )

    assert response.status_code == 200
    assert response.cookies["portal_session"]["samesite"] == "Strict"
    assert subscription.order.public_id in client.get(portal_url(store)).content.decode()


def test_an_ended_subscription_offers_no_card_form(client, subscription, store):
    order = subscription.order
    sign_in(client, store)
    client.post(order_url(order, "/cancel"))
    advance(subscription, periods=1)

    form = client.get(order_url(order, "/card"))
    posted = client.post(
        order_url(order, "/card"),
        {"card_number": "4242 4242 4242 4242", "card_expiry": FUTURE, "card_cvc": "123"},
    )

    assert form["Location"] == order_url(order) + "?notice=refused"
    assert posted["Location"] == order_url(order) + "?notice=refused"
    assert PaymentMethod.objects.count() == 1  # the checkout's; no card was saved
    assert "Canceled" in client.get(order_url(order)).content.decode()


def test_an_unknown_store_or_order_is_our_404_page(client, subscription, store):
    sign_in(client, store)

    assert client.get("/store/no-such-store/portal").status_code == 404
    missing = client.get(portal_url(store, "/orders/ORD_nope"))
    assert missing.status_code == 404
    assert "find this order among yours" in missing.content.decode()


def test_a_receipt_emails_link_opens_that_orders_portal_for_days(client, subscription, settings):
    settings.PUBLIC_BASE_URL = "https://pay.example.com"
    url = portal_link_url(order=subscription.order)
    later = timezone.now().timestamp() + 6 * 24 * 3600

    assert url.startswith(
        f"https://pay.example.com/store/{subscription.order.store.slug}/portal?link="
    )
    with mock.patch("time.time", return_value=later):
        entered = client.get(url.removeprefix("https://pay.example.com"))
    assert entered.status_code == 200
    assert (
        subscription.order.public_id
        in client.get(portal_url(subscription.order.store)).content.decode()
    )


def test_search_engines_are_kept_out_of_the_portal(client):
    rules = client.get("/robots.txt").content.decode().splitlines()

    assert "Disallow: /store/*/portal" in rules


def test_a_signed_in_buyer_following_a_receipt_link_keeps_their_session(client, plan, store):
    first, second = subscribe(plan), subscribe(plan)
    sign_in(client, store)

    client.get(portal_url(store), {"link": order_link(order=first.order)})
    listing = client.get(portal_url(store)).content.decode()

    assert first.order.public_id in listing and second.order.public_id in listing
