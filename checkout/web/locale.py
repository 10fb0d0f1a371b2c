"""The language and locale of a hosted page, and money and percentages written its way.

The first of these that names a language the pages are translated into wins: the session's
``language``, then each of the browser's ``Accept-Language`` preferences in order, then the
store's default (``checkoutSettings.language``), then English. A tag we have no catalog for
is skipped rather than half-honoured, so the words and the number formats of a page always
agree; the tag that won keeps its region for formatting (``de-CH`` reads German, formats
Swiss). The page gets Django's language code (for the catalog), babel's name (for
formatting), the BCP 47 tag (for ``<html lang>`` and ``Intl`` in the browser) and the
writing direction.
"""

from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.numbers import format_percent
from django.utils.translation.trans_real import parse_accept_lang_header

from checkout.models import CheckoutSession
from core.languages import locale_catalog, parse_tag
from core.money import format_localized

DEFAULT_TAG = "en-US"


@dataclass(frozen=True)
class PageLocale:
    babel: str  # "pt_BR", for babel
    tag: str  # "pt-BR", for <html lang> and Intl in the browser
    territory: str | None
    language: str = "en"  # Django's code of the catalog: "pt-br", "zh-hans"
    direction: str = "ltr"  # "rtl" for Arabic


def resolve_locale(
    *, language: str = "", accept_language: str = "", store_language: str = ""
) -> PageLocale:
    """The session's language, then the browser's preferences, then the store's, then en-US."""
    candidates = [language] if language else []
    candidates += [tag for tag, _ in parse_accept_lang_header(accept_language or "") if tag != "*"]
    candidates += [store_language] if store_language else []
    for tag in candidates:
        locale = parse_tag(tag)
        code = locale_catalog(locale) if locale is not None else None
        if code is not None:
            break
    else:
        locale, code = Locale.parse(DEFAULT_TAG, sep="-"), "en"
    parts = [locale.language, locale.script, locale.territory]
    return PageLocale(
        babel=str(locale),
        tag="-".join(p for p in parts if p),
        territory=locale.territory,
        language=code,
        direction="rtl" if locale.text_direction == "rtl" else "ltr",
    )


def store_language(store) -> str:
    """The store's default page language (``checkoutSettings.language``), or ""."""
    if store is None:
        return ""
    return (store.checkout_settings or {}).get("language") or ""


def locale_for_request(
    request, session: CheckoutSession | None = None, store=None, language: str = ""
) -> PageLocale:
    """``language`` is the page's own (a portal order's or a plan change's checkout language)
    when it is not a checkout session's page."""
    if store is None and session is not None:
        store = session.store
    return resolve_locale(
        language=session.language if session is not None else language,
        accept_language=request.headers.get("Accept-Language", ""),
        store_language=store_language(store),
    )


def money(minor: int, currency: str, locale: PageLocale) -> str:
    return format_localized(minor, currency, locale.babel)


def percent(rate: Decimal, locale: PageLocale) -> str:
    return format_percent(rate / 100, locale=locale.babel, decimal_quantization=False)
