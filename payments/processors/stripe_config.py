"""Stripe's configuration per environment: the keys' shape (checked at start-up in
production, never discovered at checkout), the API client, and what a hosted page needs
(publishable key, Stripe.js URL, the origins its Content-Security-Policy must allow).

Imported by the settings module, so this module imports no Django models.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_SHAPES = {
    "secret_key": (re.compile(r"^(sk|rk)_(test|live)_[A-Za-z0-9_]+$"), "sk_test_… or sk_live_…"),
    "publishable_key": (re.compile(r"^pk_(test|live)_[A-Za-z0-9_]+$"), "pk_test_… or pk_live_…"),
    "webhook_secret": (re.compile(r"^whsec_[A-Za-z0-9_]+$"), "whsec_…"),
}


def check_keys(*, environment: str, keys: dict[str, str]) -> None:
    """Refuse to start with a Stripe environment whose keys are missing or malformed."""
    suffix = environment.upper()
    for name, (shape, expected) in _SHAPES.items():
        value = keys.get(name, "")
        variable = f"STRIPE_{name.upper()}_{suffix}"
        if not value:
            raise ImproperlyConfigured(
                f"{variable} is required: the {environment} environment uses Stripe"
            )
        if not shape.match(value):
            raise ImproperlyConfigured(f"{variable} is not a Stripe key (expected {expected})")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True, slots=True)
class StripePage:
    """What the hosted page needs to render Stripe Elements, and its CSP additions."""

    publishable_key: str
    js_url: str

    def csp(self, base: dict) -> dict:
        """``base`` (SECURE_CSP) plus exactly the configured Stripe.js origin for scripts and
        frames, and the API origin Stripe.js talks to."""
        from django.conf import settings

        js_origin = origin(self.js_url)
        api_origin = origin(settings.STRIPE_API_BASE)
        config = {name: list(values) for name, values in base.items()}
        config["script-src"] = [*config.get("script-src", []), js_origin]
        config["frame-src"] = [js_origin]
        connect = [*config.get("connect-src", []), api_origin]
        config["connect-src"] = list(dict.fromkeys(connect))
        return config
