"""RSA request signatures exactly as the official SDK produces them.

Canonical request: ``METHOD\\nPATH\\nTIMESTAMP\\nbase64(sha256(raw body))``, signed with
RSASSA-PKCS1-v1_5 over SHA-256 and sent base64-encoded in ``X-Signature``.
"""

import base64
import binascii
import hashlib
import re
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

MIN_KEY_BITS = 2048
_PEM_BLOCK = re.compile(
    r"-----BEGIN (RSA )?PUBLIC KEY-----(.*?)-----END (RSA )?PUBLIC KEY-----", re.S
)


class InvalidPublicKey(ValueError):
    """Not an RSA public key we accept (format, type or size)."""


def canonical_request(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    body_hash = base64.b64encode(hashlib.sha256(body).digest()).decode()
    return f"{method}\n{path}\n{timestamp}\n{body_hash}".encode()


def normalize_public_key(text: str) -> str:
    """Accept what merchants paste (SPKI or PKCS#1 PEM, raw base64, escaped newlines) and
    return canonical SPKI PEM, refusing anything but RSA of at least 2048 bits."""
    raw = (text or "").replace("\\n", "\n").replace("\r\n", "\n").strip()
    if not raw:
        raise InvalidPublicKey("Public key is empty")
    match = _PEM_BLOCK.search(raw)
    label = "RSA PUBLIC KEY" if match and match.group(1) else "PUBLIC KEY"
    body = re.sub(r"\s+", "", match.group(2) if match else raw)
    wrapped = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    pem = f"-----BEGIN {label}-----\n{wrapped}\n-----END {label}-----\n"
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise InvalidPublicKey("Public key could not be parsed") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidPublicKey("Public key must be an RSA key")
    if key.key_size < MIN_KEY_BITS:
        raise InvalidPublicKey(f"RSA public key must be at least {MIN_KEY_BITS} bits")
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def fingerprint(pem: str) -> str:
    der = _load(pem).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


@lru_cache(maxsize=1024)
def _load(pem: str) -> rsa.RSAPublicKey:
    return serialization.load_pem_public_key(pem.encode())


def verify(pem: str, signature_b64: str, message: bytes) -> bool:
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        _load(pem).verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def generate_key_pair(bits: int = 3072) -> tuple[str, str]:
    """(private PKCS#8 PEM, public SPKI PEM). The private half is handed out once, never kept."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def sign(private_pem: str, message: bytes) -> str:
    """What a client does; used by the CLI helpers and the tests."""
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def public_key_of(private_pem: str) -> str:
    """The SPKI PEM that belongs to a private key; ValueError when it is not one."""
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
