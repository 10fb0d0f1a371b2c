"""The signing keys (one per environment) and the ``X-Waffo-Signature`` header.

Header: ``t=<unix milliseconds>,v1=<base64 RSA-SHA256 PKCS#1 v1.5 over "{t}.{body}">``,
exactly what the SDK's ``verifyWebhook`` parses and checks.
"""

import base64
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings

from core.signing import MIN_KEY_BITS, generate_key_pair

ENVIRONMENTS = ("test", "prod")


class SigningKeyMissing(RuntimeError):
    """No usable signing key for an environment: nothing is signed with a throwaway."""


def generated_key_path(environment: str) -> Path:
    return Path(settings.VAR_DIR) / "webhooks" / f"signing-key-{environment}.pem"


def key_path(environment: str) -> Path:
    """Where the environment's private key lives (configured, else the generated one)."""
    if environment not in ENVIRONMENTS:
        raise ValueError(f"Unknown environment {environment!r}")
    configured = settings.WEBHOOK_SIGNING_KEY_FILES.get(environment) or ""
    return Path(configured) if configured else generated_key_path(environment)


def _generate(path: Path) -> None:
    """Create the key file once, atomically: concurrent web and worker processes that race
    here all end up reading the same file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    private_pem, _ = generate_key_pair(2048)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(private_pem)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


def _load(path: Path) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SigningKeyMissing(f"Webhook signing key {path} cannot be read: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < MIN_KEY_BITS:
        raise SigningKeyMissing(
            f"Webhook signing key {path} must be an RSA key of at least {MIN_KEY_BITS} bits"
        )
    return key


@lru_cache(maxsize=8)
def _cached_key(path: str, mtime: float) -> rsa.RSAPrivateKey:
    return _load(Path(path))


def private_key(environment: str) -> rsa.RSAPrivateKey:
    path = key_path(environment)
    configured = bool(settings.WEBHOOK_SIGNING_KEY_FILES.get(environment))
    name = f"WEBHOOK_SIGNING_KEY_FILE_{environment.upper()}"
    if not configured and not settings.WEBHOOK_GENERATE_KEYS:
        # Production: only the operator's key, never one generated for development.
        raise SigningKeyMissing(
            f"No webhook signing key for {environment}: set {name} to an RSA private key file"
        )
    if not path.exists():
        if configured:
            raise SigningKeyMissing(
                f"No webhook signing key for {environment}: {name} names {path}, "
                "which does not exist"
            )
        _generate(path)
    return _cached_key(str(path), path.stat().st_mtime)


def public_key_pem(environment: str) -> str:
    """The SPKI PEM a merchant passes to ``verifyWebhook(..., { publicKey })``."""
    return (
        private_key(environment)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def signature_header(*, environment: str, body: str, timestamp_ms: int) -> str:
    message = f"{timestamp_ms}.{body}".encode()
    signature = private_key(environment).sign(message, padding.PKCS1v15(), hashes.SHA256())
    return f"t={timestamp_ms},v1={base64.b64encode(signature).decode()}"
