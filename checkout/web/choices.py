"""Choice lists of the hosted forms: countries, US states, Canadian provinces and
Australian states and territories, each sorted by its English name."""

from functools import cache

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from checkout.billing import CA_PROVINCES, US_STATES, countries
from checkout.shipping import PROVINCES
from checkout.tax import EU_COUNTRIES


@cache
def country_choices() -> list[tuple[str, str]]:
    return sorted(countries().items(), key=lambda item: item[1])


def region_choices() -> dict[str, list[tuple[str, str]]]:
    """State and province codes with their names, by name (a new dict: callers add to it)."""
    return dict(_region_choices())


@cache
def _region_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "US": sorted(((code, REGION_NAMES.get(code, code)) for code in US_STATES), key=_name),
        "CA": sorted(((code, PROVINCE_NAMES.get(code, code)) for code in CA_PROVINCES), key=_name),
    }


# --- speed (issue 18): the checkout form's <option> lists are built once per process ---
# Rendering ~270 options through the template language cost most of a page view. The HTML
# is the template loop's, byte for byte (its indentation included); only the buyer's
# choice is marked per request.
_OPTION_BREAK = "\n            "


@cache
def _options_html(name: str) -> str:
    lists = {"country": country_choices(), **_region_choices()}
    return "".join(
        format_html('<option value="{}">{}</option>', code, label) + _OPTION_BREAK
        for code, label in lists[name]
    )


def options_html(name: str, *, selected: str) -> SafeString:
    """``name``: "country", "US" or "CA"; ``selected``: the code the form holds, or ""."""
    html = _options_html(name)
    if selected:
        marker = format_html('<option value="{}">', selected)
        html = html.replace(marker, marker[:-1] + " selected>", 1)
    return mark_safe(html)  # noqa: S308 - every part went through format_html


# --- end speed ---


def _name(item: tuple[str, str]) -> str:
    return item[1]


def shipping_region_choices() -> dict[str, list[tuple[str, str]]]:
    """The lists ``checkout.shipping.parse_address`` checks a province against, by name."""
    regions = region_choices()
    regions["AU"] = sorted(
        ((code, AU_STATE_NAMES.get(code, code)) for code in PROVINCES["AU"]), key=_name
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
