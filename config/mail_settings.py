"""Email and invoice settings: one ``EMAIL_URL`` for Django's default mailer (``MAILERS``,
Django 6.1's replacement of the ``EMAIL_*`` settings), and the merchant of record's details
printed on every invoice.

The URL parser is ours, a few lines over ``urllib``: django-environ (already a dependency)
has an ``email_url`` too, but its ``smtps://`` means STARTTLS, the opposite of what the
scheme means everywhere else (implicit TLS, RFC 8314), and it knows neither ``file://`` nor
``console://``; dj-email-url has had no release in years. Schemes:

- ``smtp://user:pass@host:587`` plain SMTP (port 25 by default);
- ``smtp+tls://…`` STARTTLS (587 by default); ``smtps://…`` implicit TLS (465 by default);
- ``file:///abs/path`` or ``file://relative/path`` (relative to the project) writes the
  messages to files; the default, ``mail/`` under ``VAR_DIR`` (``var/mail``), needs nothing
  running;
- ``console://`` prints messages; ``memory://`` keeps them in ``django.core.mail.outbox``.

A ``timeout`` query parameter (seconds, default 10) bounds every SMTP conversation.
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
_SMTP_PORTS = {"smtp": 25, "smtp+tls": 587, "smtps": 465}
_SIMPLE = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str, *, base_dir: Path = PROJECT_DIR) -> dict:
    """The default mailer (Django 6.1's ``MAILERS["default"]``) one URL stands for."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _SIMPLE:
        return {"BACKEND": _SIMPLE[scheme]}
    if scheme == "file":
        raw = unquote(parts.netloc + parts.path)
        path = Path(raw) if raw.startswith("/") else base_dir / raw
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(path)},
        }
    if scheme not in _SMTP_PORTS:
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, smtp+tls://, smtps://, file://, console:// "
            "or memory://"
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no SMTP host")
    query = parse_qs(parts.query)
    try:
        port = parts.port or _SMTP_PORTS[scheme]
        timeout = float(query.get("timeout", ["10"])[0])
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL: {exc}") from exc
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": scheme == "smtp+tls",
            "use_ssl": scheme == "smtps",
            "timeout": timeout,
        },
    }


def read(env, *, relaxed: bool, var_dir: Path) -> dict:
    """Every email and invoice setting, from the environment. Development and test get
    placeholders; production has none, and ``notifications.checks`` refuses to start
    without a real sender, seller address, VAT ID and SMTP server."""
    mailer = parse_email_url(env("EMAIL_URL", default=f"file://{var_dir / 'mail'}"))
    values: dict = {"MAILERS": {"default": mailer}}
    sender = env("EMAIL_FROM_ADDRESS", default="receipts@pancake.invalid" if relaxed else "")
    values.update(
        EMAIL_FROM_ADDRESS=sender,
        DEFAULT_FROM_EMAIL=sender or "webmaster@localhost",
        SERVER_EMAIL=sender or "root@localhost",
        PLATFORM_ADDRESS_LINES=env.list(
            "PLATFORM_ADDRESS_LINES",
            default=["1 Example Street", "10115 Berlin", "Germany"] if relaxed else [],
        ),
        PLATFORM_VAT_ID=env("PLATFORM_VAT_ID", default="DE000000000" if relaxed else ""),
        EMAIL_REQUIRE_SMTP=not relaxed,
        # Seconds before the first retry of a failed send (doubling, at most an hour), and
        # how many attempts before an email is marked failed for good.
        EMAIL_RETRY_BASE_SECONDS=env.int("EMAIL_RETRY_BASE_SECONDS", default=30),
        EMAIL_MAX_ATTEMPTS=env.int("EMAIL_MAX_ATTEMPTS", default=10),
        # Days before a renewal that the buyer is reminded of it (emailUpcomingCharge).
        EMAIL_UPCOMING_CHARGE_DAYS=env.int("EMAIL_UPCOMING_CHARGE_DAYS", default=3),
        # A TrueType font for invoice PDFs (for scripts beyond Western European ones); the
        # built-in Helvetica (Windows-1252) when empty.
        INVOICE_PDF_FONT=env("INVOICE_PDF_FONT", default=""),
    )
    return values
