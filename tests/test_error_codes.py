"""``AppError.code``: a stable machine code per error, defaulting per subclass and by status,
overridable per raise, while API bodies keep answering by status and message as before."""

from types import SimpleNamespace

import pytest

from checkout.services import SessionExpired
from core.api.errors import cart_error, error_body
from core.errors import (
    AppError,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    Unprocessable,
    code_for_status,
)


@pytest.mark.parametrize(
    ("error_class", "code"),
    [
        (BadRequest, "bad_request"),
        (Unauthorized, "unauthorized"),
        (Forbidden, "forbidden"),
        (NotFound, "not_found"),
        (Conflict, "conflict"),
        (Unprocessable, "unprocessable_entity"),
    ],
)
def test_each_subclass_has_its_default_code(error_class, code):
    assert error_class("Something").code == code


def test_a_raise_may_name_its_own_code():
    exc = Conflict("A payment for this checkout is already in progress", code="payment_in_progress")
    assert exc.code == "payment_in_progress"
    assert exc.message == "A payment for this checkout is already in progress"
    assert exc.status == 409


def test_the_base_class_takes_the_code_of_its_status():
    assert AppError("Bad").code == "bad_request"
    assert AppError("Gone", status=410).code == "gone"
    assert AppError("Slow down", status=429).code == "too_many_requests"
    assert AppError("Odd", status=418).code == "bad_request"
    assert AppError("Broken", status=503).code == "internal_error"


def test_a_subclass_without_a_code_of_its_own_takes_its_status_code():
    class Gone(AppError):
        status = 410

    assert Gone("Gone").code == code_for_status(410) == "gone"


def test_payment_errors_have_codes_the_hosted_page_branches_on():
    from orders.services import PaymentInProgress
    from payments.services import TooManyAttempts

    assert SessionExpired().code == "session_expired"
    assert (PaymentInProgress().code, PaymentInProgress().status) == ("payment_in_progress", 409)
    assert TooManyAttempts().code == "too_many_attempts"


def test_cart_bodies_keep_deriving_the_code_from_the_status():
    # A raise's own code never leaks into the API's bodies: they stay byte for byte.
    exc = Unprocessable("Checkout session has expired", code="session_expired")
    assert cart_error(exc.status, exc.message) == {
        "error": {
            "status": 422,
            "code": "unprocessable_entity",
            "message": "Checkout session has expired",
        }
    }
    assert error_body("actions", exc.status, exc.message, exc.layer) == {
        "data": None,
        "errors": [{"message": "Checkout session has expired", "layer": "gateway"}],
    }


def test_hosted_page_token_errors_carry_codes():
    from checkout.web.checkout_page import _buyer_identity

    session = SimpleNamespace(store_id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(AppError) as caught:
        _buyer_identity(session, "not-a-token")
    assert caught.value.code == "invalid_token"
    assert caught.value.status == 400
