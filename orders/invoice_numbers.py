"""Gapless document numbers: taking the next one and writing the document that carries it.

A merchant of record numbers its invoices in one unbroken sequence (per environment here, so
test orders never take a live number), and its credit notes in another. The next number is
taken by incrementing a counter row in the transaction that issues the document: the row
stays locked until that transaction ends, so concurrent issuers queue on it, and a
transaction that rolls back gives its number back with everything else. Nothing is ever
skipped or used twice.

On PostgreSQL the counter is taken in the statement that writes the document (a
data-modifying ``WITH``), because every payment that completes an order pays for both;
SQLite, which has no such ``WITH``, takes it in a statement of its own first.
"""

from django.db import connection
from django.db.models import CharField, IntegerField
from django.db.models.expressions import RawSQL

from orders.invoices_models import DocumentKind, Invoice

NUMBER_PREFIXES = {DocumentKind.INVOICE: "INV", DocumentKind.CREDIT_NOTE: "CN"}
DIGITS = 6
# The counter row made at its first use or incremented, and held (row lock) until the
# issuing transaction ends; the same statement on PostgreSQL and SQLite.
_TAKE_NEXT = (
    "INSERT INTO orders_invoicecounter (environment, kind, last_sequence) VALUES (%s, %s, 1) "
    "ON CONFLICT (environment, kind) "
    "DO UPDATE SET last_sequence = orders_invoicecounter.last_sequence + 1 "
    "RETURNING last_sequence"
)
# The document's sequence and number read from that statement's result (``taken``), the
# number as ``document_number`` formats it: zero-padded to six digits, longer when it grows.
_SEQUENCE_TAKEN = "SELECT last_sequence FROM taken"
_NUMBER_TAKEN = (
    "SELECT %s || '-' || lpad(last_sequence::text, greatest(%s, length(last_sequence::text)), "
    "'0') FROM taken"
)


def number_prefix(*, environment: str, kind: str) -> str:
    """``INV``; test documents say so (``TEST-INV``) and never share a number with live ones."""
    prefix = NUMBER_PREFIXES[kind]
    return prefix if environment == "prod" else f"TEST-{prefix}"


def document_number(*, environment: str, kind: str, sequence: int) -> str:
    """``INV-000042``, ``TEST-CN-000007``."""
    return f"{number_prefix(environment=environment, kind=kind)}-{sequence:0{DIGITS}d}"


def numbered_document_create(**fields) -> Invoice:
    """Write an invoice or credit note (``fields`` without ``sequence`` and ``number``)
    with the next number of its environment's and kind's sequence."""
    document = Invoice(**fields)
    environment, kind = document.environment, document.kind
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_TAKE_NEXT, [environment, kind])
            document.sequence = int(cursor.fetchone()[0])
        document.number = document_number(
            environment=environment, kind=kind, sequence=document.sequence
        )
        document.save(force_insert=True)
        return document
    # Constant SQL with bound parameters; both values are read back by the insert's
    # RETURNING, as Django does for every value given as SQL.
    document.sequence = RawSQL(_SEQUENCE_TAKEN, (), output_field=IntegerField())  # noqa: S611
    prefix = number_prefix(environment=environment, kind=kind)
    document.number = RawSQL(_NUMBER_TAKEN, (prefix, DIGITS), output_field=CharField())  # noqa: S611
    with connection.execute_wrapper(_taking_next(environment=environment, kind=kind)):
        document.save(force_insert=True)
    return document


def _taking_next(*, environment: str, kind: str):
    """Put the counter's upsert in front of the document's insert, as ``taken``."""

    def wrapper(execute, sql, params, many, context):
        if not sql.startswith(f'INSERT INTO "{Invoice._meta.db_table}"'):
            raise RuntimeError(f"only the document's insert takes a number: {sql[:80]}")
        return execute(
            f"WITH taken AS ({_TAKE_NEXT}) {sql}", (environment, kind, *params), many, context
        )

    return wrapper
