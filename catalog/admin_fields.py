"""The product form's row editors: prices (one row per currency), media (one row per image
or video, with a preview) and metadata (one row per key).

Rows become exactly the value the API takes (amounts stay the text the merchant typed);
``catalog.services`` then validates it, so a bad amount reads the same in admin and API.
"""

import json
from decimal import Decimal

from django import forms

from catalog.models import TaxCategory
from core import money
from stores.admin_rows import Column, RowsField


def _currency_choices() -> tuple:
    return tuple((code, code) for code in sorted(money.sellable_currencies()))


class PricesField(RowsField):
    columns = (
        Column("currency", "Currency", "select", choices=_currency_choices()),
        Column("amount", "Amount", size=12, help="In the currency's units, e.g. 29.00 or 4500."),
        Column("tax_category", "Tax category", "select", choices=tuple(TaxCategory.choices)),
        Column("tax_included", "Tax included", "checkbox"),
        Column("trial_amount", "Trial amount", size=12, help="Subscriptions only; optional."),
    )

    def to_rows(self, value) -> list[dict]:
        return [
            {
                "currency": currency,
                "amount": price.get("amount") or "",
                "tax_category": price.get("taxCategory") or "",
                "tax_included": bool(price.get("taxIncluded")),
                "trial_amount": price.get("trialAmount") or "",
            }
            for currency, price in sorted((value or {}).items())
        ]

    def from_rows(self, rows: list[dict]) -> dict:
        prices: dict = {}
        for row in rows:
            currency = row.get("currency", "")
            if not currency:
                raise forms.ValidationError("Choose a currency for every price.")
            if currency in prices:
                raise forms.ValidationError(f"{currency} is listed twice: one row per currency.")
            price = {"taxIncluded": bool(row.get("tax_included"))}
            for column, key in (
                ("amount", "amount"),
                ("tax_category", "taxCategory"),
                ("trial_amount", "trialAmount"),
            ):
                if row.get(column):
                    price[key] = row[column]
            prices[currency] = price
        return prices


class MediaField(RowsField):
    columns = (
        Column("type", "Type", "select", choices=(("image", "Image"), ("video", "Video"))),
        Column("url", "URL", size=40, help="https only."),
        Column("alt", "Alt text", size=20),
        Column("thumbnail", "Thumbnail URL", size=30, help="Optional; videos show it."),
        Column("preview", "Preview", "preview"),
    )

    def to_rows(self, value) -> list[dict]:
        return [
            {key: item.get(key, "") for key in ("type", "url", "alt", "thumbnail")}
            for item in value or []
            if isinstance(item, dict)
        ]

    def from_rows(self, rows: list[dict]) -> list:
        return [
            {key: row[key] for key in ("type", "url", "alt", "thumbnail") if row.get(key)}
            for row in rows
        ]


def _metadata_text(value) -> str:
    """A value as the merchant types it: plain text stays plain unless it would read back
    as something else (a number, true, JSON), then it is shown quoted."""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)


def _metadata_value(text: str):
    """Text that reads as JSON (7, 1.5, true, null, "quoted", {...}) is stored as that;
    anything else as the text itself. Numbers never pass through float."""
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        return text


class MetadataField(RowsField):
    columns = (
        Column("key", "Key", size=20),
        Column(
            "value",
            "Value",
            size=40,
            help='Numbers, true/false and JSON are kept as such; "quote" text that looks '
            "like a number.",
        ),
    )

    def to_rows(self, value) -> list[dict]:
        return [{"key": key, "value": _metadata_text(item)} for key, item in (value or {}).items()]

    def from_rows(self, rows: list[dict]) -> dict:
        metadata: dict = {}
        for row in rows:
            key = row.get("key", "")
            if not key:
                raise forms.ValidationError("Give every value a key.")
            if key in metadata:
                raise forms.ValidationError(f"The key {key} is listed twice.")
            metadata[key] = _metadata_value(row.get("value", ""))
        return metadata
