"""Embargoed destinations: the one rule that refuses prod sales to comprehensively
sanctioned countries and regions (the list, its sources and its simplifications are in
``checkout/data/embargoed_destinations.json``).

The platform is the merchant of record, so the sale is its own: the rule applies whatever
the store, to the billing country and to the shipping address alike. Test mode sells
nothing, and stays open so integrations can be tried from anywhere (and this rule tested).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.errors import AppError

DATA_FILE = Path(__file__).resolve().parent / "data" / "embargoed_destinations.json"
PROD = "prod"
CODE = "destination_embargoed"


class EmbargoedDestination(AppError):
    status = 422
    default_code = CODE
    default_layer = "order"

    def __init__(self, message: str, *, destination: str = ""):
        super().__init__(message)
        self.destination = destination  # hosted pages say it in the buyer's language


@dataclass(frozen=True, slots=True)
class Region:
    country: str
    code: str
    name: str
    postal_prefixes: tuple[str, ...]


@cache
def embargoes() -> tuple[dict[str, str], tuple[Region, ...]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    countries = {entry["code"]: entry["name"] for entry in data["countries"]}
    regions = tuple(
        Region(
            country=entry["country"],
            code=entry["code"],
            name=entry["name"],
            postal_prefixes=tuple(entry["postal_prefixes"]),
        )
        for entry in data["regions"]
    )
    return countries, regions


def embargoed_name(*, country: str, province: str = "", postcode: str = "") -> str | None:
    """The destination's name when sales to it are refused, else None."""
    countries, regions = embargoes()
    if country in countries:
        return countries[country]
    province = (province or "").upper().removeprefix(f"{country}-")
    postcode = (postcode or "").strip()
    for region in regions:
        if region.country != country:
            continue
        if province and province == region.code.removeprefix(f"{country}-"):
            return region.name
        if not province and postcode[:2] in region.postal_prefixes and postcode[:2].isdigit():
            return region.name
    return None


def message(name: str) -> str:
    return (
        f"We cannot sell to {name}: as merchant of record we do not accept orders to "
        "destinations under comprehensive sanctions."
    )


def check_destination(
    *, environment: str, country: str, province: str = "", postcode: str = ""
) -> None:
    """Refuse (422 ``destination_embargoed``) a prod sale to an embargoed destination."""
    if environment != PROD:
        return
    name = embargoed_name(country=country, province=province, postcode=postcode)
    if name is not None:
        raise EmbargoedDestination(message(name), destination=name)


def check_sale(*, environment: str, billing=None, shipping_address: dict | None = None) -> None:
    """Both ends of a sale: the billing detail and the shipping address, when there are."""
    if billing is not None:
        check_destination(
            environment=environment,
            country=billing.country,
            province=billing.state or "",
            postcode=billing.postcode or "",
        )
    if shipping_address:
        check_destination(
            environment=environment,
            country=shipping_address.get("country_code", ""),
            province=shipping_address.get("province_code", ""),
            postcode=shipping_address.get("postal_code", ""),
        )
