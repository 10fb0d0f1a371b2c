"""Merchant secret keys (seed 002 bearer credentials): only the hash is kept, revoked keys and
inactive users are refused, use is recorded at most once a minute."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import serializers
from django.utils import timezone

from core.errors import BadRequest
from stores.models import Environment, SecretKey
from stores.secret_keys import (
    secret_key_create,
    secret_key_revoke,
    secret_key_verify,
)
from tests.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def test_create_returns_the_secret_once_and_stores_only_its_hash():
    merchant = MerchantFactory()
    key, secret = secret_key_create(merchant=merchant, environment="test", name=" CI ")
    assert re.fullmatch(r"sk_test_[A-Za-z0-9_-]{43}", secret)
    key.refresh_from_db()
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert key.prefix == secret[:12]
    assert key.name == "CI"
    assert key.environment == Environment.TEST
    stored = serializers.serialize("json", SecretKey.objects.all())
    assert secret not in stored
    assert secret[12:] not in stored


def test_prod_secrets_have_their_own_prefix():
    _, secret = secret_key_create(merchant=MerchantFactory(), environment="prod")
    assert re.fullmatch(r"sk_prod_[A-Za-z0-9_-]{43}", secret)


def test_every_secret_is_new():
    merchant = MerchantFactory()
    secrets = {secret_key_create(merchant=merchant, environment="test")[1] for _ in range(5)}
    assert len(secrets) == 5


@pytest.mark.parametrize("environment", ["", "live", None])
def test_create_refuses_an_unknown_environment(environment):
    with pytest.raises(BadRequest):
        secret_key_create(merchant=MerchantFactory(), environment=environment)


def test_create_refuses_a_long_name():
    with pytest.raises(BadRequest):
        secret_key_create(merchant=MerchantFactory(), environment="test", name="x" * 65)


def test_verify_finds_the_key_and_records_use():
    key, secret = secret_key_create(merchant=MerchantFactory(), environment="test")
    found = secret_key_verify(secret)
    assert found == key
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_use_is_recorded_at_most_once_a_minute():
    key, secret = secret_key_create(merchant=MerchantFactory(), environment="test")
    recent = timezone.now() - timedelta(seconds=30)
    SecretKey.objects.filter(pk=key.pk).update(last_used_at=recent)
    secret_key_verify(secret)
    key.refresh_from_db()
    assert key.last_used_at == recent
    old = timezone.now() - timedelta(minutes=2)
    SecretKey.objects.filter(pk=key.pk).update(last_used_at=old)
    secret_key_verify(secret)
    key.refresh_from_db()
    assert key.last_used_at > old


@pytest.mark.parametrize(
    "secret",
    [
        None,
        "",
        "sk_test_",
        "sk_test_" + "A" * 43,
        "pk_test_" + "A" * 43,
        "sk_test_" + "A" * 200,
        12345,
    ],
)
def test_verify_refuses_unknown_or_malformed_secrets(secret):
    secret_key_create(merchant=MerchantFactory(), environment="test")
    assert secret_key_verify(secret) is None


def test_verify_refuses_a_secret_under_another_environment_prefix():
    key, secret = secret_key_create(merchant=MerchantFactory(), environment="test")
    swapped = "sk_prod_" + secret.removeprefix("sk_test_")
    # Even if somebody stored the hash of the swapped spelling, the row's environment wins.
    SecretKey.objects.filter(pk=key.pk).update(
        secret_hash=hashlib.sha256(swapped.encode()).hexdigest()
    )
    assert secret_key_verify(swapped) is None


def test_revoked_keys_are_refused_and_revoking_twice_keeps_the_first_time():
    key, secret = secret_key_create(merchant=MerchantFactory(), environment="test")
    secret_key_revoke(secret_key=key)
    first = key.revoked_at
    secret_key_revoke(secret_key=key)
    key.refresh_from_db()
    assert key.revoked_at == first
    assert secret_key_verify(secret) is None


def test_keys_of_inactive_users_are_refused():
    merchant = MerchantFactory()
    _, secret = secret_key_create(merchant=merchant, environment="test")
    merchant.user.is_active = False
    merchant.user.save()
    assert secret_key_verify(secret) is None
