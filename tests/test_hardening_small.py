"""The smaller items of issue 17, finding 7: token refresh capped at the checkout's expiry,
admin sign-in lockout, WWW-Authenticate on the actions API's 401s, Permissions-Policy."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from checkout.models import CheckoutSession
from core import tokens
from core.admin_login import LOCKED_OUT
from tests.browser_support import make_product, make_session, make_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkout():
    merchant, store = make_store(slug="refresh-shop")
    session = make_session(merchant=merchant, product=make_product(store))
    token, _ = tokens.issue_customer_token(buyer_identity="user-5", store_id=str(store.pk))
    return session, token, f"/store/{store.slug}/checkout/{session.public_id}/token"


def test_a_refreshed_token_never_outlives_the_checkout(client, checkout):
    session, token, url = checkout
    ends = timezone.now() + timedelta(seconds=90)
    CheckoutSession.objects.filter(pk=session.pk).update(expires_at=ends)

    response = client.post(url, {"token": token})

    assert response.status_code == 200
    claims = tokens.read_customer_token(response.json()["token"])
    assert claims.expires_at <= ends
    assert response.json()["expiresAt"] <= ends.isoformat().replace("+00:00", "Z")


def test_a_token_of_a_checkout_that_ended_is_not_refreshed(client, checkout):
    session, token, url = checkout
    CheckoutSession.objects.filter(pk=session.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = client.post(url, {"token": token})

    assert response.status_code == 401
    assert response.json() == {"error": "invalid_token"}


def test_refreshing_at_the_expiry_itself_is_refused():
    token, _ = tokens.issue_customer_token(buyer_identity="u", store_id="s")
    with pytest.raises(tokens.InvalidToken):
        tokens.refresh_customer_token(token, not_after=timezone.now() - timedelta(seconds=1))


# --- admin sign-in lockout -----------------------------------------------------------------


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "ops@example.com", "ops@example.com", "right-password", is_staff=True
    )


def _sign_in(client, password, *, username="ops@example.com", ip="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_failed_sign_ins_lock_the_address_out_even_for_the_right_password(client, staff, settings):
    settings.ADMIN_LOGIN_FAILURES_PER_IP = "3/hour"
    failures = [_sign_in(client, f"guess-{i}") for i in range(3)]

    locked = _sign_in(client, "right-password")

    assert all("Please enter the correct" in answer.content.decode() for answer in failures)
    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    assert LOCKED_OUT.split("%")[0] in locked.content.decode()
    assert _sign_in(client, "right-password", ip="198.51.100.3").status_code == 302


def test_failed_sign_ins_lock_the_username_out_from_any_address(client, staff, settings):
    settings.ADMIN_LOGIN_FAILURES_PER_USER = "2/hour"
    for i in range(2):
        _sign_in(client, f"guess-{i}", ip=f"198.51.100.{i}")

    locked = _sign_in(client, "right-password", ip="198.51.100.9")

    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    assert LOCKED_OUT.split("%")[0] in locked.content.decode()


def test_a_correct_sign_in_does_not_count(client, staff, settings):
    settings.ADMIN_LOGIN_FAILURES_PER_IP = "1/hour"
    assert _sign_in(client, "right-password").status_code == 302
    client.logout()
    assert _sign_in(client, "right-password").status_code == 302


# --- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "challenge"),
    [
        ("/v1/actions/store/create-store", "Signature"),
        ("/v1/actions/onetime-order/cancel-order", "Bearer"),
        ("/v1/graphql", "Signature"),
    ],
)
def test_the_actions_apis_401s_name_the_scheme(client, path, challenge):
    response = client.post(path, {}, content_type="application/json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith(challenge)
    assert 'realm="actions"' in response["WWW-Authenticate"]


def test_a_graphql_401_names_both_of_its_schemes(client):
    response = client.post("/v1/graphql", {}, content_type="application/json")
    assert "Signature" in response["WWW-Authenticate"]
    assert "Bearer" in response["WWW-Authenticate"]


@pytest.mark.parametrize("path", ["/store/nowhere/", "/v1/actions/store/create-store", "/admin/"])
def test_every_response_carries_a_permissions_policy(client, path):
    policy = client.get(path)["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert "payment=(self)" in policy
