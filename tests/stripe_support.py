"""localstripe (PyPI: a stateful fake Stripe server) for the Stripe tests: started on a free
port for the test session and stopped after, and what Stripe.js would do in a browser
(turning a card into a token at the Stripe server, so it never passes through us).

What localstripe lacks, the tests say where they work around it: PaymentIntents refuse
``setup_future_usage`` (STRIPE_SETUP_FUTURE_USAGE is off here), its Stripe.js has no
``createPaymentMethod`` (the page falls back to ``createToken``; ``card_payment_method``
makes the ``pm_…`` real Stripe.js would, at the server), and 4000 0000 0000 0002
declines only when attached to a customer, so declines use 4000 0000 0000 0341.
"""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
import stripe

SECRET_KEY = "sk_test_localstripe"
PUBLISHABLE_KEY = "pk_test_localstripe"
WEBHOOK_SECRET = "whsec_localstripe"
SUCCESS = "4242424242424242"
DECLINES = "4000000000000341"  # localstripe declines charging it (Stripe: after attaching)
THREE_D_SECURE = "4000002500003155"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_localstripe(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = shutil.which("localstripe", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [command, "--port", str(port), "--from-scratch"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{base}/js.stripe.com/v3/", timeout=1)
            return server, base
        except requests.ConnectionError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("localstripe did not start")


def card_token(base: str, number: str, *, exp_year: int = 2034) -> str:
    """A ``tok_…`` the way Stripe.js's createToken makes one, straight at the server."""
    answer = requests.post(
        f"{base}/v1/tokens",
        data={
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": str(exp_year),
            "card[cvc]": "123",
            "key": PUBLISHABLE_KEY,
        },
        timeout=5,
    )
    answer.raise_for_status()
    return answer.json()["id"]


def card_payment_method(base: str, number: str, *, exp_year: int = 2034) -> str:
    """A ``pm_…`` the way real Stripe.js's createPaymentMethod makes one, at the server
    through the official library (localstripe's Stripe.js has no createPaymentMethod)."""
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": base})
    card = {"number": number, "exp_month": 12, "exp_year": exp_year, "cvc": "123"}
    return client.v1.payment_methods.create(params={"type": "card", "card": card}).id


def authenticate(base: str, client_secret: str, *, success: bool) -> None:
    """The buyer's 3-D Secure answer, as localstripe's Stripe.js sends it."""
    intent = client_secret.split("_secret_")[0]
    answer = requests.post(
        f"{base}/v1/payment_intents/{intent}/_authenticate?success={str(success).lower()}",
        json={"key": PUBLISHABLE_KEY, "client_secret": client_secret},
        timeout=5,
    )
    answer.raise_for_status()


def use_stripe(settings, base: str, environment: str = "test") -> None:
    """Point ``environment`` at localstripe, as an operator's variables would."""
    settings.STRIPE_KEYS = {
        **settings.STRIPE_KEYS,
        environment: {
            "secret_key": SECRET_KEY,
            "publishable_key": PUBLISHABLE_KEY,
            "webhook_secret": WEBHOOK_SECRET,
        },
    }
    settings.PAYMENT_PROCESSORS = {
        **settings.PAYMENT_PROCESSORS,
        environment: "payments.processors.stripe.StripeProcessor",
    }
    settings.STRIPE_API_BASE = base
    settings.STRIPE_JS_URL = f"{base}/js.stripe.com/v3/"
    settings.STRIPE_SETUP_FUTURE_USAGE = False
