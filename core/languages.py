"""Which translation catalog serves a BCP 47 language tag.

The hosted pages are translated into the languages of ``settings.LANGUAGES``; a tag is served
by the catalog of its language, region aside (``de-CH`` reads German). Portuguese reads the
Brazilian catalog; Chinese only the simplified one, for babel fills in the script from the
region (``zh-TW`` is ``zh_Hant_TW``, which simplified text would not serve). Here, at the
bottom of the layers, because the session's and the store's ``language`` are checked against
the same list the pages use.
"""

from babel import Locale, UnknownLocaleError
from django.conf import settings


def parse_tag(tag: str) -> Locale | None:
    try:
        return Locale.parse(str(tag).replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def locale_catalog(locale: Locale) -> str | None:
    """Django's code of the catalog that serves ``locale`` ("pt-br"), or None."""
    if locale.language == "zh":
        return "zh-hans" if locale.script in (None, "Hans") else None
    if locale.language == "pt":
        return "pt-br"
    supported = {code for code, _ in settings.LANGUAGES}
    return locale.language if locale.language in supported else None


def catalog_language(tag: str) -> str | None:
    """The catalog that serves a BCP 47 tag, or None (unknown tag, untranslated language)."""
    locale = parse_tag(tag) if tag else None
    return locale_catalog(locale) if locale is not None else None
