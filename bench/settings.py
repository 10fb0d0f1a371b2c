"""Production settings as a deployment runs them, plus what only the bench needs.

The bench serves ``bench.urls`` (the application's routes and a no-op baseline view) and
counts SQL statements for requests that ask for it (``X-Bench-Count``), so the production
URLconf and middleware stay exactly as they ship.
"""

import os
import secrets

os.environ.setdefault("APP_ENV", "production")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
# One client address sends every request: the per-IP budget for browser credentials would
# answer 429 after a few hundred, and the bench measures paths, not the throttle.
os.environ.setdefault("BROWSER_API_RATE", "1000000000/min")
# Likewise the card-testing limits (payments.velocity): every pay post comes from one address
# with one card and email, and after 20 an hour they would be refusals, not payments.
os.environ.setdefault("PAYMENT_RATE_PER_IP", "1000000000/hour")
os.environ.setdefault("PAYMENT_RATE_PER_CARD", "1000000000/hour")
os.environ.setdefault("PAYMENT_RATE_PER_EMAIL", "1000000000/hour")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Production refuses to start without a mail server and the merchant of record's details
# (notifications.checks). No worker runs in the bench, so the receipts a paid order queues
# are never sent: the server named here is never contacted.
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:1")
os.environ.setdefault("EMAIL_FROM_ADDRESS", "bench@pancake.invalid")
os.environ.setdefault("PLATFORM_ADDRESS_LINES", "1 Bench Street,10115 Berlin,Germany")
os.environ.setdefault("PLATFORM_VAT_ID", "DE000000000")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.StatementCounter", *MIDDLEWARE]  # noqa: F405
