"""Test settings: the production settings read with APP_ENV=test."""

import os

os.environ.setdefault("APP_ENV", "test")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
