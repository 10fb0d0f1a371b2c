"""Signing keys: one per environment from the configured files (PKCS#8 or PKCS#1), generated
under var/ only in development and test; production refuses to start without them."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import call_command
from django.test import override_settings

from core.signing import public_key_of, verify
from tests.email_support import PRODUCTION_MAIL_ENV
from tests.keys import STRONG_SECRET_KEY
from webhooks import checks
from webhooks.signing import SigningKeyMissing, public_key_pem, signature_header

ROOT = Path(__file__).resolve().parent.parent


def write_key(path: Path, *, bits=2048, pkcs1=False) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    fmt = (
        serialization.PrivateFormat.TraditionalOpenSSL
        if pkcs1
        else serialization.PrivateFormat.PKCS8
    )
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
    )
    return path


def test_the_command_prints_the_configured_environments_spki_public_key(tmp_path):
    test_key = write_key(tmp_path / "test.pem")
    prod_key = write_key(tmp_path / "prod.pem", pkcs1=True)
    files = {"test": str(test_key), "prod": str(prod_key)}
    with override_settings(WEBHOOK_SIGNING_KEY_FILES=files, WEBHOOK_GENERATE_KEYS=False):
        out_test, out_prod = StringIO(), StringIO()
        call_command("webhook_public_key", "--environment", "test", stdout=out_test)
        call_command("webhook_public_key", "--environment", "prod", stdout=out_prod)
        header = signature_header(environment="prod", body='{"a":1}', timestamp_ms=1700000000000)

    assert out_test.getvalue() == public_key_of(test_key.read_text())
    assert out_test.getvalue().startswith("-----BEGIN PUBLIC KEY-----\n")
    assert out_prod.getvalue() == public_key_of(prod_key.read_text())
    assert out_test.getvalue() != out_prod.getvalue()
    t, v1 = (part.split("=", 1)[1] for part in header.split(","))
    assert t == "1700000000000"
    assert verify(out_prod.getvalue(), v1, b'1700000000000.{"a":1}')
    assert not verify(out_test.getvalue(), v1, b'1700000000000.{"a":1}')


def test_development_generates_one_key_per_environment_and_keeps_it(tmp_path):
    with override_settings(VAR_DIR=tmp_path, WEBHOOK_SIGNING_KEY_FILES={"test": "", "prod": ""}):
        first = public_key_pem("test")
        assert public_key_pem("test") == first
        assert public_key_pem("prod") != first
    key_file = tmp_path / "webhooks" / "signing-key-test.pem"
    assert key_file.is_file()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_small_or_missing_keys_are_refused_and_production_never_generates(tmp_path):
    small = write_key(tmp_path / "small.pem", bits=1024)
    small_key = override_settings(WEBHOOK_SIGNING_KEY_FILES={"test": str(small), "prod": ""})
    with small_key, pytest.raises(SigningKeyMissing, match="at least 2048 bits"):
        public_key_pem("test")
    production = override_settings(
        VAR_DIR=tmp_path, WEBHOOK_GENERATE_KEYS=False, WEBHOOK_SIGNING_KEY_FILES={}
    )
    with production:
        with pytest.raises(SigningKeyMissing, match="WEBHOOK_SIGNING_KEY_FILE_PROD"):
            signature_header(environment="prod", body="{}", timestamp_ms=1)
        problems = checks.signing_keys_present()
    assert [p.id for p in problems] == ["webhooks.E001", "webhooks.E001"]
    assert not (tmp_path / "webhooks").exists()


def _production(**extra):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV"))}
    env = {
        **clean,
        "DJANGO_SECRET_KEY": STRONG_SECRET_KEY,
        "DATABASE_URL": "sqlite:////tmp/unused.db",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, **extra},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_start_up_fails_clearly_without_key_files_and_passes_with_them(tmp_path):
    missing = _production()
    assert missing.returncode != 0
    assert "WEBHOOK_SIGNING_KEY_FILE_TEST" in missing.stderr

    configured = _production(
        **PRODUCTION_MAIL_ENV,  # what else production needs (notifications.checks)
        WEBHOOK_SIGNING_KEY_FILE_TEST=str(write_key(tmp_path / "t.pem")),
        WEBHOOK_SIGNING_KEY_FILE_PROD=str(write_key(tmp_path / "p.pem", pkcs1=True)),
    )
    assert configured.returncode == 0, configured.stderr


@pytest.mark.django_db
def test_make_run_prints_where_the_webhook_public_keys_are(tmp_path, capsys):
    call_command("seed_demo", "--key-dir", str(tmp_path))

    out = capsys.readouterr().out
    assert "python manage.py webhook_public_key --environment test|prod" in out
    assert "signing-key-test.pem" in out
