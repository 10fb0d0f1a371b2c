"""Settings from the environment, with production-safe defaults.

DEBUG is off unless ``DJANGO_DEBUG`` says otherwise; ``DJANGO_SECRET_KEY`` is required
unless ``APP_ENV`` is ``development`` or ``test``; without ``DATABASE_URL`` the project
runs on an embedded SQLite file.
"""

from pathlib import Path

import environ
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config import billing_settings, mail_settings
from config import fixed_settings as fixed

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
APP_ENV = env("APP_ENV", default="production")
if APP_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured("APP_ENV must be production, development or test")
RELAXED = APP_ENV in {"development", "test"}

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not RELAXED:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required outside development")
    SECRET_KEY = "insecure-development-key-never-use-in-production"
elif not RELAXED and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # It signs customer session tokens and landing cookies: a guessable key forges them.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be at least 50 characters with at least 5 different ones "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))")'
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if RELAXED else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Where hosted pages live; checkout URLs handed to merchants are built from it.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Who the buyer pays (the merchant of record, named on every hosted page), its terms and
# privacy policy (links in the pages' footer, left out while empty), and where the home
# page at / sends developers for documentation.
PLATFORM_LEGAL_NAME = env("PLATFORM_LEGAL_NAME", default="Pancake Checkout")
PLATFORM_TERMS_URL = env("PLATFORM_TERMS_URL", default="")
PLATFORM_PRIVACY_URL = env("PLATFORM_PRIVACY_URL", default="")
PLATFORM_DOCS_URL = env(
    "PLATFORM_DOCS_URL", default="https://www.npmjs.com/package/@waffo/pancake-ts"
)
for _name in ("PLATFORM_TERMS_URL", "PLATFORM_PRIVACY_URL", "PLATFORM_DOCS_URL"):
    if globals()[_name] and not globals()[_name].startswith(("https://", "http://", "/")):
        raise ImproperlyConfigured(f"{_name} must be an http(s) URL or a path starting with /")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    "django_tasks_db",
    "core",
    "stores",
    "catalog",
    "checkout",
    "orders",
    "payments",
    "subscriptions",
    "partners",
    "webhooks",
    "notifications",
    "fx",
    "graphql_api",
    "dashboard",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "checkout.web.language.HostedLanguageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.platform",
            ],
        },
    },
]

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# --- speed (issue 18): persistent connections ---
# Opening and closing a PostgreSQL connection per request cost about a quarter of a cheap
# request. A process keeps its connection up to DB_CONN_MAX_AGE seconds, checked before
# reuse (a connection the server dropped is replaced, not an error) unless a request used it
# without a connection error less than DB_HEALTH_CHECK_BYPASS seconds ago
# (core.db.postgresql). The suite keeps 0: its servers and test databases come and go.
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0 if APP_ENV == "test" else 60)
)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "core.db.postgresql"
    DATABASES["default"]["HEALTH_CHECK_BYPASS"] = env.float("DB_HEALTH_CHECK_BYPASS", default=0.5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database serves the web server and the worker at once: a transaction takes
    # the write lock as it begins (a deferred one that read first fails at once with
    # "database is locked" when the other process wrote meanwhile) and waits for it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
# --- end speed ---
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
LANGUAGES = fixed.LANGUAGES  # the hosted pages' languages (checkout.web.language)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Where the admin's "View site" goes: the admin index unless the deployment has a site
# of its own to point merchants at (a home page, the docs).
ADMIN_SITE_URL = env("ADMIN_SITE_URL", default="/admin/")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"

# Hosted pages: scripts and styles only from this origin or with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "https:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, "https:", "http:"] if RELAXED else [CSP.SELF, "https:"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
CSRF_FAILURE_VIEW = "config.error_pages.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not RELAXED
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if RELAXED else 31_536_000)
# Trust X-Forwarded-Proto only behind a proxy that sets it (and strips a client's copy).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)

# Shared state for every process: Redis when REDIS_URL is set (rate limits count there
# too), else rate limits count in the database (core.rate_limits), so the embedded default
# needs no extra service. Nothing else is cached across requests.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}
RATE_LIMIT_STORE = "redis" if REDIS_URL else "database"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # Each kind of credential is verified by the app that owns it.
    "DEFAULT_AUTHENTICATION_CLASSES": ["stores.api.authentication.SignedApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "core.api.errors.handle_exception",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttles.BrowserCredentialThrottle"],
    "DEFAULT_THROTTLE_RATES": {"browser": env("BROWSER_API_RATE", default="300/min")},
    # The client address as the proxy in front reports it; 0 trusts no forwarded hops.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    # --- OpenAPI (drf-spectacular): the description served at /v1/openapi.json ---
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# The OpenAPI description (config/openapi.py); nothing an operator needs to change.
SPECTACULAR_SETTINGS = fixed.SPECTACULAR_SETTINGS

# Decides whether a signed caller's store role allows an action (core.api.access).
ACTION_AUTHORIZER = "stores.api.access.authorize"
# Signed API requests: how far a request's X-Timestamp may lag behind or run ahead.
SIGNATURE_MAX_AGE_SECONDS = 300
SIGNATURE_MAX_FUTURE_SECONDS = 60
# --- speed (issue 18): a process keeps a merchant's API keys this long (stores.key_cache);
# revoking through the services takes effect at once, other changes within this time.
API_KEY_CACHE_SECONDS = env.int("API_KEY_CACHE_SECONDS", default=0 if APP_ENV == "test" else 5)
IDEMPOTENCY_TTL_SECONDS = 24 * 3600
# An in-flight idempotency claim older than this belongs to a request that died.
IDEMPOTENCY_STALE_SECONDS = 300

# Partner checkout (seed 003): OAuth 2.0 client credentials through django-oauth-toolkit.
# Client secrets are stored hashed; access tokens are short-lived bearer tokens.
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("PARTNER_TOKEN_SECONDS", default=900),
    "SCOPES": {"baskets": "Create, change, validate and hand over partner baskets"},
    "DEFAULT_SCOPES": ["baskets"],
    "CLIENT_SECRET_GENERATOR_LENGTH": 64,
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# The signed landing-state cookie carrying a basket ID is Secure outside development/test.
PARTNER_COOKIE_SECURE = not RELAXED
PARTNER_BASKET_DAYS = 14

# Stripe, per environment: an environment whose secret key is set is charged by Stripe
# (payments.processors.stripe.StripeProcessor). STRIPE_API_BASE and STRIPE_JS_URL point the
# library and the hosted page at another server (localstripe in the suite).
STRIPE_KEYS = {
    environment: {
        "secret_key": env(f"STRIPE_SECRET_KEY_{suffix}", default=""),
        "publishable_key": env(f"STRIPE_PUBLISHABLE_KEY_{suffix}", default=""),
        "webhook_secret": env(f"STRIPE_WEBHOOK_SECRET_{suffix}", default=""),
    }
    for environment, suffix in (("test", "TEST"), ("prod", "PROD"))
}
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
# Real Stripe saves a subscription's card with setup_future_usage=off_session; localstripe
# refuses that parameter, so the suite turns it off (the card is saved on a customer either way).
STRIPE_SETUP_FUTURE_USAGE = env.bool("STRIPE_SETUP_FUTURE_USAGE", default=True)
_STRIPE = "payments.processors.stripe.StripeProcessor"

# Which payment processor charges each environment. Production stays unavailable until an
# operator configures Stripe (or names another provider); test mode keeps the bundled test
# processor, which follows the usual test cards, unless Stripe test keys are set.
PAYMENT_PROCESSORS = {
    "test": _STRIPE
    if STRIPE_KEYS["test"]["secret_key"]
    else "payments.processors.sandbox.TestCardProcessor",
    "prod": env(
        "PROD_PAYMENT_PROCESSOR",
        default=_STRIPE
        if STRIPE_KEYS["prod"]["secret_key"]
        else "payments.processors.unconfigured.UnconfiguredProcessor",
    ),
}
if not RELAXED:
    from payments.processors.stripe_config import check_keys

    for _environment, _path in PAYMENT_PROCESSORS.items():
        if _path == _STRIPE:
            check_keys(environment=_environment, keys=STRIPE_KEYS[_environment])
globals().update(billing_settings.read(env))  # payment, subscription and refund timing
# Tests only: the test processor fails right after committing a charge, as a web process
# killed between "charge" and "record" would.
TEST_PROCESSOR_CRASH_AFTER_CHARGE = RELAXED and env.bool(
    "TEST_PROCESSOR_CRASH_AFTER_CHARGE", default=False
)

# Webhooks: one RSA signing key per environment (PEM, PKCS#8 or PKCS#1, >= 2048 bits), read
# by web server and worker alike. Without them development and test generate and keep one
# under var/webhooks/; production refuses to deliver (a start-up check says so).
WEBHOOK_SIGNING_KEY_FILES = {
    "test": env("WEBHOOK_SIGNING_KEY_FILE_TEST", default=""),
    "prod": env("WEBHOOK_SIGNING_KEY_FILE_PROD", default=""),
}
WEBHOOK_GENERATE_KEYS = RELAXED
# Seconds between attempts (3 retries); their sum stays well inside the SDK's 45-minute window.
WEBHOOK_RETRY_DELAYS = [
    int(delay) for delay in env.list("WEBHOOK_RETRY_DELAYS", default=["60", "300", "1200"])
]
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# http:// and private, loopback addresses are only for development and test.
WEBHOOK_ALLOW_PRIVATE_URLS = RELAXED
WEBHOOK_DISABLE_AFTER_DAYS = env.int("WEBHOOK_DISABLE_AFTER_DAYS", default=3)

# Background work: Django's tasks framework on the database (django-tasks-db), run with the
# sweeps by ``python manage.py worker``. Works on SQLite and PostgreSQL alike.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "INFO"},
        # The queue worker logs every idle poll at INFO; ours says what matters.
        "django_tasks_db": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

globals().update(mail_settings.read(env, relaxed=RELAXED, var_dir=VAR_DIR))  # EMAIL_*, seller
# --- Hardening (issue 17); every setting is in the README ------------------------------------
# Seen request signatures (replay refusal) live where the rate limits count: Redis when
# REDIS_URL is set, else the database; each expires with its signature's window.
SIGNATURE_REPLAY_STORE = RATE_LIMIT_STORE
# Card testing: payment attempts that reach the processor, across checkouts, per client
# address, per card and per buyer email (payments.velocity); and checkouts started from
# public links (/c/<cart>, /store/<slug>/buy) per client address. Shared by every process.
PAYMENT_RATE_PER_IP = env("PAYMENT_RATE_PER_IP", default="30/hour")
PAYMENT_RATE_PER_CARD = env("PAYMENT_RATE_PER_CARD", default="20/hour")
PAYMENT_RATE_PER_EMAIL = env("PAYMENT_RATE_PER_EMAIL", default="20/hour")
PUBLIC_CHECKOUT_RATE = env("PUBLIC_CHECKOUT_RATE", default="60/min")
# Partner OAuth: client secrets (64 random characters) hashed with one salted SHA-256, not
# the password hasher; access tokens kept only as their SHA-256 checksum (RFC 9700); the
# token endpoint throttled per client address.
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "core.hashers.SecretSha256Hasher"]
OAUTH2_PROVIDER = {
    **OAUTH2_PROVIDER,
    "CLIENT_SECRET_HASHER": "secret_sha256",
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    # Partners use the client-credentials grant only: every RFC 9700 recommendation for the
    # grants and transports we do not offer is enforced (check --deploy stays clean).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "OAUTH2_VALIDATOR_CLASS": "partners.oauth_validator.PartnerOAuth2Validator",
}
PARTNER_TOKEN_RATE = env("PARTNER_TOKEN_RATE", default="30/min")
# PostgreSQL: no request waits longer than this for a row lock another holds, nor runs a
# statement longer; either becomes a "try again" answer (core.api.errors.database_timeout).
# Sent in the connection's startup packet, so it costs no statement. 0 turns one off.
DB_LOCK_TIMEOUT_MS = env.int("DB_LOCK_TIMEOUT_MS", default=5000)
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=30000)
if DATABASES["default"]["ENGINE"] == "core.db.postgresql":
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = " ".join(
        part
        for part in (
            _db_options.get("options", ""),
            f"-c lock_timeout={DB_LOCK_TIMEOUT_MS}",
            f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
        )
        if part
    )
# HSTS for subdomains and the browsers' preload list are the operator's call (every
# subdomain must then be https only): off unless set; check --deploy warns until then.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
# Admin sign-in: failed attempts per username and per client address before a lockout
# that lasts until the window ends (core.admin_login).
ADMIN_LOGIN_FAILURES_PER_USER = env("ADMIN_LOGIN_FAILURES_PER_USER", default="10/hour")
ADMIN_LOGIN_FAILURES_PER_IP = env("ADMIN_LOGIN_FAILURES_PER_IP", default="5/hour")
# Browsers grant the hosted pages no powerful features (camera, location, …); Stripe's
# card fields need none. django-permissions-policy sends the header on every response.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django_permissions_policy.PermissionsPolicyMiddleware",
)
PERMISSIONS_POLICY = fixed.PERMISSIONS_POLICY
# --- end of hardening ------------------------------------------------------------------------
