import json

import pytest
from django.core.management import CommandError, call_command

from stores.models import ApiKey, Merchant
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import SignedClient


@pytest.fixture
def public_key_file(tmp_path):
    path = tmp_path / "public.pem"
    path.write_text(TEST_KEY_PAIR[1])
    return path


def run(capsys, *args):
    call_command("create_merchant", *args)
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_create_merchant_prints_json_and_the_key_signs(capsys, public_key_file):
    output = run(
        capsys,
        "--email", " New@Example.COM ",
        "--password", "s3cret-enough",
        "--public-key-file", str(public_key_file),
        "--environment", "both",
    )  # fmt: skip

    merchant = Merchant.objects.get()
    assert output["merchantId"] == merchant.public_id
    assert output["email"] == "new@example.com"
    assert [(key["environment"], key["bothEnvironments"]) for key in output["apiKeys"]] == [
        ("test", True),
        ("prod", True),
    ]
    assert merchant.user.check_password("s3cret-enough") and merchant.user.is_staff
    response = SignedClient(merchant.public_id, TEST_KEY_PAIR[0]).post(
        "/v1/actions/store/create-store", {"name": "From CLI"}, headers={"X-Environment": "prod"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_create_merchant_registers_a_key_in_one_environment_by_default(capsys, public_key_file):
    output = run(capsys, "--email", "one@example.com", "--public-key-file", str(public_key_file))

    assert output["apiKeys"] == [
        {
            "environment": "test",
            "fingerprint": ApiKey.objects.get().fingerprint,
            "bothEnvironments": False,
        }
    ]


@pytest.mark.django_db
def test_create_merchant_refuses_a_weak_key_and_writes_nothing(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    path = tmp_path / "weak.pem"
    path.write_bytes(
        weak.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(CommandError, match="at least 2048 bits"):
        call_command("create_merchant", "--email", "a@b.c", "--public-key-file", str(path))
    assert not Merchant.objects.exists() and not ApiKey.objects.exists()


@pytest.mark.django_db
def test_create_merchant_refuses_a_duplicate_email(capsys):
    run(capsys, "--email", "dup@example.com")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_merchant", "--email", "DUP@example.com")
