"""Billing details and shipping addresses shown as a merchant reads an address, not as the
JSON they are stored in. Every value is escaped; unknown keys are ignored."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from checkout.billing import countries


def _country(code: str | None) -> str:
    if not code:
        return ""
    name = countries().get(code)
    return f"{name} ({code})" if name else code


def _lines(lines: list[str]):
    kept = [(line,) for line in lines if line]
    if not kept:
        return "—"
    return format_html("<address>{}</address>", format_html_join(mark_safe("<br>"), "{}", kept))


def billing_html(detail: dict | None):
    """Consumer or business, postcode and state, country; the tax ID when there is one."""
    if not detail:
        return "—"
    place = " ".join(part for part in (detail.get("postcode"), detail.get("state")) if part)
    return _lines(
        [
            detail.get("businessName") or ("Business" if detail.get("isBusiness") else "Consumer"),
            f"Tax ID: {detail['taxId']}" if detail.get("taxId") else "",
            place,
            _country(detail.get("country")),
        ]
    )


def shipping_html(address: dict | None):
    """Name, street lines, postal code and city, province, country, then how to reach them."""
    if not address:
        return "—"
    name = " ".join(part for part in (address.get("first_name"), address.get("last_name")) if part)
    town = " ".join(part for part in (address.get("postal_code"), address.get("city")) if part)
    return _lines(
        [
            name,
            address.get("address1") or "",
            address.get("address2") or "",
            town,
            address.get("province_code") or "",
            _country(address.get("country_code")),
            address.get("email") or "",
            address.get("phone") or "",
        ]
    )
