"""Choice lists of the hosted forms: countries, US states, Canadian provinces and
Australian states and territories, named and ordered for the page's locale.

Country names are CLDR's for the locale (babel). The order is a collation key of our own,
not ``locale.strxfrm`` (process-global, and only the locales the OS has installed) nor ICU
(a compiled dependency): names are decomposed (NFKD), their combining marks dropped and
the rest case-folded, which is the primary strength of the Unicode collation for the Latin
scripts (Åland Islands beside Albania, Österreich among the O) and keeps Arabic letters
and Japanese kana (by their gojūon code points) in their alphabet's order. Chinese names
sort by code point, not by pinyin as ICU would: the one compromise of the pure approach.

CLDR in babel has no names for subdivisions: states and provinces keep their English (and
postal) names in every language, ordered by the same key.
"""

import unicodedata
from functools import cache

from babel import Locale
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from checkout.billing import CA_PROVINCES, US_STATES, countries
from checkout.shipping import PROVINCES
from checkout.tax import EU_COUNTRIES


def collation_key(name: str) -> tuple[str, str]:
    """Letters without their accents, case-folded; the name itself breaks ties."""
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return base, name


def _by_name(item: tuple[str, str]) -> tuple[str, str]:
    return collation_key(item[1])


@cache
def country_names(locale: str = "en") -> dict[str, str]:
    """Every country code ``countries()`` knows, named in ``locale`` (a babel name)."""
    names = Locale.parse(locale).territories
    return {code: names.get(code, english) for code, english in countries().items()}


def country_name(code: str, *, locale: str = "en") -> str:
    return country_names(locale).get(code, code)


@cache
def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    return sorted(country_names(locale).items(), key=_by_name)


def region_choices() -> dict[str, list[tuple[str, str]]]:
    """State and province codes with their names, by name (a new dict: callers add to it)."""
    return dict(_region_choices())


@cache
def _region_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "US": sorted(((code, REGION_NAMES.get(code, code)) for code in US_STATES), key=_by_name),
        "CA": sorted(
            ((code, PROVINCE_NAMES.get(code, code)) for code in CA_PROVINCES), key=_by_name
        ),
    }


# --- speed (issue 18): the checkout form's <option> lists are built once per process ---
# Rendering ~270 options through the template language cost most of a page view. The HTML
# is the template loop's, byte for byte (its indentation included); only the buyer's
# choice is marked per request. Country lists are built once per locale.
_OPTION_BREAK = "\n            "


@cache
def _options_html(name: str, locale: str) -> str:
    lists = {"country": country_choices(locale), **_region_choices()}
    return "".join(
        format_html('<option value="{}">{}</option>', code, label) + _OPTION_BREAK
        for code, label in lists[name]
    )


def options_html(name: str, *, selected: str, locale: str = "en") -> SafeString:
    """``name``: "country", "US" or "CA"; ``selected``: the code the form holds, or "";
    ``locale``: babel's name of the page locale (country names)."""
    html = _options_html(name, locale if name == "country" else "en")
    if selected:
        marker = format_html('<option value="{}">', selected)
        html = html.replace(marker, marker[:-1] + " selected>", 1)
    return mark_safe(html)  # noqa: S308 - every part went through format_html


# --- end speed ---


def shipping_region_choices() -> dict[str, list[tuple[str, str]]]:
    """The lists ``checkout.shipping.parse_address`` checks a province against, by name."""
    regions = region_choices()
    regions["AU"] = sorted(
        ((code, AU_STATE_NAMES.get(code, code)) for code in PROVINCES["AU"]), key=_by_name
    )
    return regions


def eu_countries() -> str:
    return " ".join(sorted(EU_COUNTRIES))


REGION_NAMES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
    "UM": "U.S. Minor Outlying Islands",
}
PROVINCE_NAMES = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}
AU_STATE_NAMES = {
    "ACT": "Australian Capital Territory",
    "NSW": "New South Wales",
    "NT": "Northern Territory",
    "QLD": "Queensland",
    "SA": "South Australia",
    "TAS": "Tasmania",
    "VIC": "Victoria",
    "WA": "Western Australia",
}
