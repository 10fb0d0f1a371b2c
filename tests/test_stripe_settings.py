"""Which processor each environment uses, and production refusing to start with Stripe keys
that are missing or not Stripe keys (a start-up error, never a 500 at checkout)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.keys import STRONG_SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent
PROD_KEYS = {
    "STRIPE_SECRET_KEY_PROD": "sk_test_abc123",
    "STRIPE_PUBLISHABLE_KEY_PROD": "pk_test_abc123",
    "STRIPE_WEBHOOK_SECRET_PROD": "whsec_abc123",
}


def processors(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "APP_ENV", "STRIPE_", "PROD_PAYMENT"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.PAYMENT_PROCESSORS)"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SECRET_KEY": STRONG_SECRET_KEY,
            "DATABASE_URL": "sqlite:////tmp/unused.db",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_stripe_keys_prod_stays_unconfigured_and_test_uses_the_test_processor():
    result = processors()
    assert result.returncode == 0, result.stderr
    assert "unconfigured.UnconfiguredProcessor" in result.stdout
    assert "sandbox.TestCardProcessor" in result.stdout
    assert "StripeProcessor" not in result.stdout


def test_prod_with_its_stripe_keys_uses_stripe():
    result = processors(**PROD_KEYS)
    assert result.returncode == 0, result.stderr
    assert "'prod': 'payments.processors.stripe.StripeProcessor'" in result.stdout
    assert "'test': 'payments.processors.sandbox.TestCardProcessor'" in result.stdout


def test_test_with_its_stripe_keys_uses_stripe():
    result = processors(
        STRIPE_SECRET_KEY_TEST="sk_test_t",
        STRIPE_PUBLISHABLE_KEY_TEST="pk_test_t",
        STRIPE_WEBHOOK_SECRET_TEST="whsec_t",
    )
    assert result.returncode == 0, result.stderr
    assert "'test': 'payments.processors.stripe.StripeProcessor'" in result.stdout


def test_a_missing_stripe_key_stops_production_at_start_up():
    keys = {**PROD_KEYS}
    del keys["STRIPE_WEBHOOK_SECRET_PROD"]
    result = processors(**keys)
    assert result.returncode != 0
    assert "STRIPE_WEBHOOK_SECRET_PROD is required" in result.stderr


def test_a_key_that_is_not_a_stripe_key_stops_production_at_start_up():
    result = processors(**{**PROD_KEYS, "STRIPE_PUBLISHABLE_KEY_PROD": "sk_test_swapped"})
    assert result.returncode != 0
    assert "STRIPE_PUBLISHABLE_KEY_PROD is not a Stripe key" in result.stderr
