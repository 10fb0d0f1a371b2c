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

from babel import Locale, UnknownLocaleError
from babel.numbers import format_percent
from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

from checkout.models import CheckoutSession
from core.money import format_localized

DEFAULT_TAG = "en-US"


@dataclass(frozen=True)
class PageLocale:
    babel: str  # "pt_BR", for babel
    tag: str  # "pt-BR", for <html lang> and Intl in the browser
    territory: str | None
    language: str = "en"  # Django's code of the catalog: "pt-br", "zh-hans"
    direction: str = "ltr"  # "rtl" for Arabic


def _parse_tag(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def page_language(locale: Locale) -> str | None:
    """Django's code of the catalog that serves ``locale``, or None when there is none.

    Portuguese reads the Brazilian catalog; Chinese only the simplified one (babel fills in
    the script from the region: ``zh-TW`` is ``zh_Hant_TW``, never served simplified text).
    """
    supported = {code for code, _ in settings.LANGUAGES}
    if locale.language == "zh":
        return "zh-hans" if locale.script in (None, "Hans") else None
    if locale.language == "pt":
        return "pt-br"
    return locale.language if locale.language in supported else None


def supported_language_tag(value: str) -> bool:
    """Whether a BCP 47 tag names a language the hosted pages are translated into."""
    locale = _parse_tag(value) if value else None
    return locale is not None and page_language(locale) is not None


def resolve_locale(
    *, language: str = "", accept_language: str = "", store_language: str = ""
) -> PageLocale:
    """The session's language, then the browser's preferences, then the store's, then en-US."""
    candidates = [language] if language else []
    candidates += [tag for tag, _ in parse_accept_lang_header(accept_language or "") if tag != "*"]
    candidates += [store_language] if store_language else []
    for tag in candidates:
        locale = _parse_tag(tag)
        code = page_language(locale) if locale is not None else None
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


def locale_for_request(request, session: CheckoutSession | None = None, store=None) -> PageLocale:
    if store is None and session is not None:
        store = session.store
    return resolve_locale(
        language=session.language if session is not None else "",
        accept_language=request.headers.get("Accept-Language", ""),
        store_language=store_language(store),
    )


def money(minor: int, currency: str, locale: PageLocale) -> str:
    return format_localized(minor, currency, locale.babel)


def percent(rate: Decimal, locale: PageLocale) -> str:
    return format_percent(rate / 100, locale=locale.babel, decimal_quantization=False)
