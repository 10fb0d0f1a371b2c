"""A partner's basket bought in a real browser (Debian's Chromium through Playwright): the
partner gets a token, makes a basket and hands it over over real HTTP to the live server, the
end customer pays on the hosted checkout the handover links to, and the order names the
partner. The page must be free of Content-Security-Policy violations (the ``page`` fixture)."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from checkout.models import CheckoutSession, SessionStatus
from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus
from tests.browser_support import FUTURE_EXPIRY, SUCCESS_CARD, make_product
from tests.factories import StoreFactory
from tests.partner_factories import TOKEN_URL, PartnerFactory, PartnerGrantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIATE = "/partner/checkout/initiate"
VALIDATE = "/partner/checkout/validate"
HANDOVER = "/partner/checkout/handover"


def http_post(url: str, data: bytes, headers: dict) -> tuple[int, dict]:
    """POST over a real socket; the status and the JSON body, errors included."""
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def partner_token(site: str, partner) -> str:
    form = {
        "grant_type": "client_credentials",
        "client_id": partner.client_id,
        "client_secret": partner.client_secret,
    }
    status, body = http_post(
        site + TOKEN_URL,
        urllib.parse.urlencode(form).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200, body
    return body["access_token"]


def partner_call(site: str, token: str, path: str, body: dict) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return http_post(site + path, json.dumps(body).encode(), headers)


def test_partner_basket_handed_over_and_paid_in_chromium(page, site):
    store = StoreFactory(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")  # USD 29.00, digital_goods
    partner = PartnerFactory()
    PartnerGrantFactory(partner=partner, store=store)

    # The partner, over HTTP: token, basket of 2 x $29.00, handover.
    token = partner_token(site, partner)
    item = {"offer": product.public_id, "quantity": 2, "type": "offer"}
    status, basket = partner_call(
        site, token, INITIATE, {"order": {"currency": "USD", "orderItems": [item]}}
    )
    assert status == 200, basket
    basket_id = basket["id"]
    assert basket_id.startswith("basket-")
    status, handover = partner_call(site, token, HANDOVER, {"basketId": basket_id})
    assert status == 200, handover
    session_id = handover["sessionId"]
    assert handover["checkoutUrl"] == f"{site}/store/{store.slug}/checkout/{session_id}"

    # The end customer, in Chromium: Washington state, 6.5 % sales tax on digital goods.
    response = page.goto(handover["checkoutUrl"])
    assert response.status == 200
    lines = page.inner_text("#summary-lines")
    assert "2 \u00d7 Widget Pro" in lines and "$29.00 each" in lines and "$58.00" in lines
    assert page.inner_text("#summary-subtotal") == "$58.00"
    page.fill("#email", "end.customer@example.com")
    page.select_option("#country", "US")
    page.select_option("#state_us", "WA")
    page.fill("#postcode", "98101")
    page.wait_for_function(
        "() => document.getElementById('summary-total').textContent === '$61.77'"
    )
    assert page.inner_text("#summary-tax-label") == "Sales tax 6.5%"
    assert page.inner_text("#pay-amount") == "$61.77"
    page.fill("#card_number", SUCCESS_CARD)
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")
    page.click("#pay-button")

    page.wait_for_url(re.compile(rf"/store/{store.slug}/checkout/{session_id}/receipt$"))
    assert "Thank you for your purchase" in page.inner_text("h1")
    assert page.inner_text("#receipt-subtotal") == "$58.00"
    assert page.inner_text("#receipt-tax") == "$3.77"
    assert page.inner_text("#receipt-total") == "$61.77"
    assert page.inner_text("#receipt-email") == "end.customer@example.com"

    # The order: the partner's, for 58.00 + 3.77, paid once.
    order = Order.objects.get()
    session = CheckoutSession.objects.get()
    assert session.public_id == session_id
    assert session.status == SessionStatus.COMPLETED
    assert order.checkout_session_id == session.pk
    assert order.status == OrderStatus.COMPLETED
    assert order.partner == partner
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (5800, 377, 6177)
    assert [(line.quantity, line.unit_amount_minor) for line in order.lines.all()] == [(2, 2900)]
    payment = Payment.objects.get()
    assert payment.order_id == order.pk
    assert payment.status == PaymentStatus.SUCCEEDED
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")

    # The partner sees the basket completed and can no longer hand it over.
    status, validated = partner_call(site, token, VALIDATE, {"basketId": basket_id})
    assert status == 200
    assert validated["state"] == "completed"
    status, again = partner_call(site, token, HANDOVER, {"basketId": basket_id})
    assert status == 409, again
    assert Order.objects.count() == 1
