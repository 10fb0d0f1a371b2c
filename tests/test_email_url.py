"""``EMAIL_URL``: one setting for Django's default mailer, files under var/mail by default,
and production refusing placeholders (issue 19, point 6)."""

import os
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import settings as config_settings
from config.mail_settings import parse_email_url
from tests.keys import STRONG_SECRET_KEY
from tests.process_support import python_run

BASE = Path("/srv/app")
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_plain_smtp_with_credentials_and_a_port():
    mailer = parse_email_url("smtp://user%40x.com:p%3Ass@mail.example.com:2525", base_dir=BASE)
    assert mailer == {
        "BACKEND": SMTP,
        "OPTIONS": {
            "host": "mail.example.com",
            "port": 2525,
            "username": "user@x.com",
            "password": "p:ss",
            "use_tls": False,
            "use_ssl": False,
            "timeout": 10.0,
        },
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.example.com", 25, False, False),
        ("smtp+tls://mail.example.com", 587, True, False),
        ("smtps://mail.example.com", 465, False, True),
        ("SMTPS://mail.example.com:10465", 10465, False, True),
    ],
)
def test_smtp_schemes_choose_port_and_encryption(url, port, tls, ssl):
    options = parse_email_url(url, base_dir=BASE)["OPTIONS"]
    assert (options["port"], options["use_tls"], options["use_ssl"]) == (port, tls, ssl)


def test_a_timeout_can_be_given():
    options = parse_email_url("smtp://mail.example.com?timeout=2.5", base_dir=BASE)["OPTIONS"]
    assert options["timeout"] == 2.5


def test_files_console_and_memory():
    assert parse_email_url("file://var/mail", base_dir=BASE)["OPTIONS"] == {
        "file_path": "/srv/app/var/mail"
    }
    assert parse_email_url("file:///tmp/outbox", base_dir=BASE)["OPTIONS"] == {
        "file_path": "/tmp/outbox"
    }
    assert parse_email_url("console://", base_dir=BASE) == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    assert parse_email_url("memory://", base_dir=BASE)["BACKEND"].endswith("locmem.EmailBackend")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.com", "EMAIL_URL must start with smtp://"),
        ("smtp://", "EMAIL_URL names no SMTP host"),
        ("smtp://mail.example.com:notaport", "EMAIL_URL:"),
        ("smtp://mail.example.com?timeout=soon", "EMAIL_URL:"),
    ],
)
def test_a_malformed_url_stops_start_up(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_email_url(url, base_dir=BASE)


def test_development_writes_files_under_var_mail_by_default():
    if "EMAIL_URL" in os.environ:
        pytest.skip("EMAIL_URL set in this environment")
    mailer = config_settings.MAILERS["default"]  # as read, before the test runner's locmem
    assert mailer["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert mailer["OPTIONS"]["file_path"] == str(config_settings.VAR_DIR / "mail")


def test_production_checks_ask_for_smtp_the_sender_and_the_sellers_details(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "APP_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": STRONG_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "pay.example.com",
        "VAR_DIR": str(tmp_path),
    }
    result = python_run("manage.py", "check", "--tag", "notifications", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for name in ("EMAIL_FROM_ADDRESS", "PLATFORM_ADDRESS_LINES", "PLATFORM_VAT_ID"):
        assert f"(notifications.E001) {name} is required outside development" in output
    assert "(notifications.E002) EMAIL_URL must name an SMTP server" in output
