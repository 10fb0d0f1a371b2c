"""The hosted checkout's shipping step driven through the Django test client: posting the
address and the method (following their 303s) and the pay form."""

import re

from tests.browser_support import (
    FUTURE_EXPIRY,
    SUCCESS_CARD,
    checkout_path,
)
from tests.cart_browser_support import address_form


def html_of(response) -> str:
    return response.content.decode()


def followed(client, session, response):
    """A shipping step answers 303 to the checkout page (POST-redirect-GET): the page the
    buyer then sees. Any other answer as it came."""
    if response.status_code == 303 and response["Location"].split("#")[0] == checkout_path(session):
        return client.get(response["Location"].split("#")[0])
    return response


def post_address(client, session, address=None, **overrides):
    response = client.post(checkout_path(session) + "/shipping", address_form(address, **overrides))
    return followed(client, session, response)


def post_method(client, session, method_id):
    data = {} if method_id is None else {"shipping_method_id": str(method_id)}
    return followed(client, session, client.post(checkout_path(session) + "/shipping-method", data))


def pay_form(**overrides):
    data = {
        "email": "Ada@Example.com",
        "country": "US",
        "state_us": "WA",
        "postcode": "98101",
        "card_number": SUCCESS_CARD,
        "card_expiry": FUTURE_EXPIRY,
        "card_cvc": "123",
    }
    data.update(overrides)
    return data


def pay(client, session, **overrides):
    return client.post(checkout_path(session) + "/pay", pay_form(**overrides))


def pay_button(html: str) -> str:
    return re.search(r'<button[^>]*id="pay-button"[^>]*>', html).group(0)


def ready(client, session, shop):
    assert post_address(client, session).status_code == 200
    assert post_method(client, session, shop.standard.pk).status_code == 200
    session.refresh_from_db()
    return session
