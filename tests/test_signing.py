import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from core.signing import (
    InvalidPublicKey,
    canonical_request,
    fingerprint,
    normalize_public_key,
    sign,
    verify,
)
from tests.keys import OTHER_KEY_PAIR, TEST_KEY_PAIR

PRIVATE, PUBLIC = TEST_KEY_PAIR


def test_canonical_request_matches_the_sdk():
    body = b'{"name":"My Store"}'
    # node -e 'crypto.createHash("sha256").update(body).digest("base64")', as the SDK does
    expected_hash = "hdwD8gAaYdaLYqdMNnLbxLSIbCcpjVA5wvaR22mY0Uo="
    assert canonical_request("POST", "/v1/actions/store/create-store", "1700000000", body) == (
        f"POST\n/v1/actions/store/create-store\n1700000000\n{expected_hash}".encode()
    )


def test_signature_verifies_only_with_the_matching_key_and_message():
    message = canonical_request("POST", "/p", "1", b"{}")
    signature = sign(PRIVATE, message)
    assert verify(PUBLIC, signature, message)
    assert not verify(OTHER_KEY_PAIR[1], signature, message)
    assert not verify(PUBLIC, signature, message + b"x")
    assert not verify(PUBLIC, "not base64 !!", message)


def _pkcs1(pem: str) -> str:
    key = serialization.load_pem_public_key(pem.encode())
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1).decode()


@pytest.mark.parametrize(
    "variant",
    [
        PUBLIC,
        _pkcs1(PUBLIC),
        PUBLIC.replace("\n", "\\n"),  # pasted from an env var
        PUBLIC.replace("\n", "\r\n"),
        "".join(PUBLIC.splitlines()[1:-1]),  # raw base64
    ],
)
def test_pasted_key_formats_normalize_to_one_fingerprint(variant):
    assert fingerprint(normalize_public_key(variant)) == fingerprint(PUBLIC)


def test_non_rsa_and_garbage_keys_are_refused():
    ec_key = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with pytest.raises(InvalidPublicKey, match="RSA"):
        normalize_public_key(ec_key)
    with pytest.raises(InvalidPublicKey):
        normalize_public_key("hello")
    with pytest.raises(InvalidPublicKey):
        normalize_public_key("")
