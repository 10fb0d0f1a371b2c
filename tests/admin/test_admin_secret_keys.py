import re

import pytest

from stores import secret_keys
from stores.models import SecretKey
from tests.admin_factories import AdminMerchantFactory, admin_url

pytestmark = pytest.mark.django_db


def test_a_merchant_creates_a_secret_key_and_sees_it_once(merchant_client, merchant):
    response = merchant_client.post(
        admin_url(SecretKey, "add"), {"environment": "test", "name": "backend"}
    )
    assert response.status_code == 302
    reveal = merchant_client.get(response["Location"])
    secret = re.search(
        r'<code id="secret-key">(sk_test_[A-Za-z0-9_-]+)</code>', reveal.content.decode()
    )
    assert secret is not None
    assert "no-store" in reveal["Cache-Control"]

    key = SecretKey.objects.get()
    assert key.merchant == merchant
    assert secret.group(1) not in key.secret_hash and secret.group(1)[:12] == key.prefix
    assert secret_keys.secret_key_verify(secret.group(1)) == key

    again = merchant_client.get(response["Location"]).content.decode()
    assert secret.group(1) not in again
    assert "already been shown" in again


def test_another_merchants_secret_key_is_not_found(merchant_client):
    other = AdminMerchantFactory()
    key, _ = secret_keys.secret_key_create(merchant=other, environment="test")
    assert merchant_client.get(admin_url(SecretKey, "change", key.pk)).status_code == 404
    assert merchant_client.get(admin_url(SecretKey, "changelist")).context["cl"].result_count == 0


def test_revoking_in_admin_stops_the_secret(merchant_client, merchant):
    key, secret = secret_keys.secret_key_create(merchant=merchant, environment="test")
    merchant_client.post(
        admin_url(SecretKey, "changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    assert secret_keys.secret_key_verify(secret) is None
