"""``manage.py check --deploy`` with production settings is clean apart from the warnings
the README explains (issue 17, finding 7)."""

import re
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.email_support import PRODUCTION_MAIL_ENV
from tests.process_support import ROOT, python_run

EXPLAINED = {"security.W005", "security.W008", "security.W021"}


def _key_file(path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(path)


def test_check_deploy_with_production_settings_warns_only_what_the_readme_explains(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "APP_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "pay.example.com",
        "VAR_DIR": str(tmp_path),
        "WEBHOOK_SIGNING_KEY_FILE_TEST": _key_file(tmp_path / "test.pem"),
        "WEBHOOK_SIGNING_KEY_FILE_PROD": _key_file(tmp_path / "prod.pem"),
        **PRODUCTION_MAIL_ENV,  # receipts by SMTP, the seller on invoices
    }
    result = python_run("manage.py", "check", "--deploy", env=env)
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert set(re.findall(r"\(([a-z_0-9]+\.[EW][0-9]+)\)", output)) == EXPLAINED
    readme = (ROOT / "README.md").read_text()
    for check_id in EXPLAINED:
        assert check_id in readme, f"README does not explain {check_id}"
