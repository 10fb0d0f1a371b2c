"""The locale of a hosted page, and money and percentages written the way it writes them.

The session's language wins, then the browser's ``Accept-Language``, then en_US; the page
gets both babel's name (for formatting here) and the BCP 47 tag (for ``<html lang>``).
"""

from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_percent
from django.utils.translation.trans_real import parse_accept_lang_header

from checkout.models import CheckoutSession
from core.money import format_localized

DEFAULT_LOCALE = "en_US"


@dataclass(frozen=True)
class PageLocale:
    babel: str  # "pt_BR", for babel
    tag: str  # "pt-BR", for <html lang> and Intl in the browser
    territory: str | None


def _parse_tag(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def resolve_locale(*, language: str = "", accept_language: str = "") -> PageLocale:
    """The session's language first, then the browser's preferences, then en_US."""
    candidates = [language] if language else []
    candidates += [tag for tag, _ in parse_accept_lang_header(accept_language or "") if tag != "*"]
    for tag in candidates:
        locale = _parse_tag(tag)
        if locale is not None:
            break
    else:
        locale = Locale.parse(DEFAULT_LOCALE)
    parts = [locale.language, locale.script, locale.territory]
    return PageLocale(
        babel=str(locale), tag="-".join(p for p in parts if p), territory=locale.territory
    )


def locale_for_request(request, session: CheckoutSession | None = None) -> PageLocale:
    return resolve_locale(
        language=session.language if session is not None else "",
        accept_language=request.headers.get("Accept-Language", ""),
    )


def money(minor: int, currency: str, locale: PageLocale) -> str:
    return format_localized(minor, currency, locale.babel)


def percent(rate: Decimal, locale: PageLocale) -> str:
    return format_percent(rate / 100, locale=locale.babel, decimal_quantization=False)
