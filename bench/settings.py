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
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.StatementCounter", *MIDDLEWARE]  # noqa: F405
