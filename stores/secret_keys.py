"""Merchant secret keys: bearer secrets for the cart checkout API (seed 002).

A secret is ``sk_test_`` or ``sk_prod_`` followed by 43 URL-safe characters (256 random
bits). It is shown once, at creation; the database keeps only its SHA-256 and a short
prefix to recognise it by. With 256 bits of entropy a plain hash is enough: a leaked table
gives nothing to brute-force. The environment of the key decides the request's environment.
"""

import hashlib
import hmac
import secrets

from django.utils import timezone

from core.errors import BadRequest
from stores.models import Environment, Merchant, SecretKey
from stores.services import LAST_USED_RESOLUTION

SECRET_PREFIXES = {Environment.TEST: "sk_test_", Environment.PROD: "sk_prod_"}
DISPLAY_PREFIX_LENGTH = 12
# Prefix plus token_urlsafe(32); anything much longer is not one of ours.
MAX_SECRET_LENGTH = 64
NAME_MAX = 64


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _environment_of(secret: str) -> str | None:
    for environment, prefix in SECRET_PREFIXES.items():
        if secret.startswith(prefix):
            return environment
    return None


def secret_key_create(
    *, merchant: Merchant, environment: str, name: str = ""
) -> tuple[SecretKey, str]:
    """A new key and its secret; the secret is returned once and never stored."""
    if environment not in SECRET_PREFIXES:
        raise BadRequest("environment must be test or prod", layer="user")
    if not isinstance(name, str) or len(name.strip()) > NAME_MAX:
        raise BadRequest(f"name must be a string of at most {NAME_MAX} characters", layer="user")
    secret = SECRET_PREFIXES[environment] + secrets.token_urlsafe(32)
    key = SecretKey.objects.create(
        merchant=merchant,
        environment=environment,
        name=name.strip(),
        prefix=secret[:DISPLAY_PREFIX_LENGTH],
        secret_hash=secret_hash(secret),
    )
    return key, secret


def secret_key_verify(secret: object) -> SecretKey | None:
    """The usable key for ``secret``, or None (unknown, malformed, revoked, inactive user)."""
    if not isinstance(secret, str) or len(secret) > MAX_SECRET_LENGTH:
        return None
    environment = _environment_of(secret)
    if environment is None:
        return None
    digest = secret_hash(secret)
    key = SecretKey.objects.select_related("merchant__user").filter(secret_hash=digest).first()
    if key is None or not hmac.compare_digest(key.secret_hash, digest):
        return None
    if key.revoked_at is not None or not key.merchant.user.is_active:
        return None
    if key.environment != environment:  # a row edited by hand; never trust it
        return None
    secret_key_mark_used(secret_key=key)
    return key


def secret_key_mark_used(*, secret_key: SecretKey) -> None:
    """Record use at one-minute resolution, like ``api_key_mark_used``."""
    now = timezone.now()
    last = secret_key.last_used_at
    if last is None or now - last >= LAST_USED_RESOLUTION:
        SecretKey.objects.filter(pk=secret_key.pk).update(last_used_at=now)
        secret_key.last_used_at = now


def secret_key_revoke(*, secret_key: SecretKey) -> SecretKey:
    if secret_key.revoked_at is None:
        secret_key.revoked_at = timezone.now()
        secret_key.save(update_fields=["revoked_at"])
    return secret_key
