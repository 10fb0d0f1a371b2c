"""Orders as CSV rows, for a merchant's accounting: one row per order, amounts as exact
decimal text in the order's currency (never a float), times in UTC ISO 8601.

Rows are read with ``iterator()`` (a server-side cursor on PostgreSQL, chunked fetches on
SQLite) and joined only to what a row shows, so an export of 100,000 orders holds one chunk
in memory and costs the same few statements as an export of ten.
"""

import csv
import re
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from core.money import format_amount
from orders.models import Order

CHUNK_SIZE = 2000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
COLUMNS = (
    "orderId",
    "createdAt",
    "completedAt",
    "store",
    "environment",
    "productType",
    "status",
    "buyerEmail",
    "buyerIdentity",
    "billingCountry",
    "currency",
    "subtotal",
    "tax",
    "total",
    "taxRate",
    "taxCountry",
    "taxRegion",
    "reverseCharge",
    "partner",
    "orderMerchantExternalId",
    "checkoutSessionId",
)


def _when(value) -> str:
    return value.isoformat() if value else ""


def _row(order: Order) -> list[str]:
    currency = order.currency
    return [
        order.public_id,
        _when(order.created_at),
        _when(order.completed_at),
        order.store.name,
        order.environment,
        order.product_type,
        order.status,
        order.buyer_email,
        order.buyer_identity,
        (order.billing_detail or {}).get("country", ""),
        currency,
        format_amount(order.subtotal_minor, currency),
        format_amount(order.tax_minor, currency),
        format_amount(order.total_minor, currency),
        f"{order.tax_rate.normalize():f}",
        order.tax_country,
        order.tax_region,
        "yes" if order.reverse_charge else "no",
        order.partner.name if order.partner_id else "",
        order.order_merchant_external_id,
        f"cs_{order.checkout_session_id}",
    ]


def export_rows(*, orders: QuerySet[Order]) -> Iterator[list[str]]:
    """The header, then one row per order of ``orders`` in its own ordering."""
    yield list(COLUMNS)
    rows = orders.select_related("store", "partner").prefetch_related(None)
    for order in rows.iterator(chunk_size=CHUNK_SIZE):
        yield _row(order)


class _Echo:
    """A file-like object whose ``write`` hands back the line, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(_safe(row))


def _safe(row: list[str]) -> list[str]:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
    apostrophe: buyer-typed text must not become a formula in the merchant's sheet.
    Numbers (a negative amount) stay numbers."""
    return [
        f"'{cell}" if cell[:1] in _FORMULA_STARTS and not _NUMBER.match(cell) else cell
        for cell in row
    ]
