"""Test settings: the production settings read with APP_ENV=test."""

import os

os.environ.setdefault("APP_ENV", "test")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "core.hashers.SecretSha256Hasher",
]

# The suite makes thousands of browser-credential calls from 127.0.0.1; the throttle has
# its own tests with their own rate (BROWSER_API_RATE reaches processes a test starts).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"browser": os.environ.get("BROWSER_API_RATE", "1000000/min")},
}
