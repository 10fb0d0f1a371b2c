"""Customer session tokens: short-lived JWTs with one fixed algorithm.

The platform is both issuer and verifier, so a shared-secret HMAC is enough; the secret is
derived from SECRET_KEY with a purpose label so it can never sign anything else. Decoding
demands ``exp``, ``iat``, ``iss``, ``aud``, ``sub`` and ``jti`` and accepts only HS256.
"""

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from django.conf import settings
from django.utils import timezone

ALGORITHM = "HS256"
ISSUER = "pancake-checkout"
CUSTOMER_AUDIENCE = "pancake-checkout:customer"
CUSTOMER_TOKEN_TTL = timedelta(minutes=5)
CLOCK_LEEWAY_SECONDS = 60


class InvalidToken(Exception):
    """Expired, forged, for another audience, or not a JWT at all."""


@dataclass(frozen=True, slots=True)
class CustomerClaims:
    buyer_identity: str
    store_id: str
    token_id: str
    expires_at: datetime
    extra: dict


def _secret() -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"customer-session-token", hashlib.sha256
    ).digest()


def issue_customer_token(
    *,
    buyer_identity: str,
    store_id: str,
    extra: dict | None = None,
    now: datetime | None = None,
    not_after: datetime | None = None,
) -> tuple[str, datetime]:
    """``not_after``: the token expires then at the latest (a checkout's own expiry)."""
    issued = now or timezone.now()
    expires_at = issued + CUSTOMER_TOKEN_TTL
    if not_after is not None:
        expires_at = min(expires_at, not_after)
    claims = {
        "iss": ISSUER,
        "aud": CUSTOMER_AUDIENCE,
        "sub": buyer_identity,
        "sto": store_id,
        "iat": int(issued.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if extra:
        claims["pre"] = extra
    return jwt.encode(claims, _secret(), algorithm=ALGORITHM), expires_at.replace(microsecond=0)


def refresh_customer_token(
    token: str, *, not_after: datetime, now: datetime | None = None
) -> tuple[str, datetime]:
    """A fresh token for the same buyer, store and prefill, from one that is still valid.

    Tokens last five minutes and refresh while they are used (as the SDK documents), so a
    buyer who takes their time on the hosted page keeps the merchant-given identity. A
    refresh never outlives ``not_after`` (the checkout's expiry): otherwise refreshing
    would chain one token into a credential that never ends.
    """
    claims = read_customer_token(token)
    issued = now or timezone.now()
    if not_after <= issued:
        raise InvalidToken("the checkout this token refreshes for has ended")
    return issue_customer_token(
        buyer_identity=claims.buyer_identity,
        store_id=claims.store_id,
        extra=claims.extra,
        now=issued,
        not_after=not_after,
    )


def _check_lifetime(claims: dict) -> None:
    """A token lives five minutes from when it was issued, never longer, and was not issued
    in the future: a far-future ``exp`` (a token signed with a leaked key, or by a bug) is
    refused even though its signature holds."""
    issued, expires = claims["iat"], claims["exp"]
    if not isinstance(issued, int) or not isinstance(expires, int):
        raise InvalidToken("iat and exp must be integers")
    if expires - issued > CUSTOMER_TOKEN_TTL.total_seconds():
        raise InvalidToken("token lifetime exceeds the limit")
    if issued > timezone.now().timestamp() + CLOCK_LEEWAY_SECONDS:
        raise InvalidToken("token issued in the future")


def read_customer_token(token: str) -> CustomerClaims:
    try:
        claims = jwt.decode(
            token,
            _secret(),
            algorithms=[ALGORITHM],
            audience=CUSTOMER_AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "jti", "sto"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    _check_lifetime(claims)
    return CustomerClaims(
        buyer_identity=claims["sub"],
        store_id=claims["sto"],
        token_id=claims["jti"],
        expires_at=datetime.fromtimestamp(claims["exp"], tz=timezone.UTC),
        extra=claims.get("pre") or {},
    )
