"""The hosted checkout page's form, filled as a buyer would, and posting it (Django test client)."""

from tests.browser_support import (
    FUTURE_EXPIRY,
    SUCCESS_CARD,
    checkout_path,
)

UNKNOWN_SESSION = "cs_00000000-0000-4000-8000-000000000000"


def form(card=SUCCESS_CARD, **overrides):
    data = {
        "email": "Buyer@Example.com",
        "country": "DE",
        "postcode": "10115",
        "card_number": card,
        "card_expiry": FUTURE_EXPIRY,
        "card_cvc": "123",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def pay(client, session, **kwargs):
    return client.post(checkout_path(session) + "/pay", form(**kwargs))


def text_of(response) -> str:
    return response.content.decode()


# --- checkout page -------------------------------------------------------------------------
