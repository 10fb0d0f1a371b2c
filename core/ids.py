"""Public short IDs: ``PREFIX_`` + the row's UUID as a 22-character base62 number.

Rows keep plain UUID primary keys; the short form exists only at the API boundary, so
an ID can always be decoded back to its key without a lookup table.
"""

import uuid

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(ALPHABET)}
WIDTH = 22  # 62**22 > 2**128, so every UUID fits

PREFIXES = frozenset({"STO", "PROD", "ORD", "PAY", "PM", "REF", "TKT", "TKV", "MER"})


class InvalidShortId(ValueError):
    """The text is not a short ID of the expected kind."""


def encode_base62(value: int) -> str:
    digits = []
    while value:
        value, remainder = divmod(value, 62)
        digits.append(ALPHABET[remainder])
    return "".join(reversed(digits)).rjust(WIDTH, "0")


def decode_base62(text: str) -> int:
    value = 0
    for char in text:
        value = value * 62 + _INDEX[char]
    return value


def to_short_id(prefix: str, value: uuid.UUID) -> str:
    assert prefix in PREFIXES, prefix
    return f"{prefix}_{encode_base62(value.int)}"


def from_short_id(prefix: str, text: object) -> uuid.UUID:
    """Decode ``text`` as a ``prefix`` short ID, raising ``InvalidShortId`` otherwise."""
    if not isinstance(text, str):
        raise InvalidShortId(text)
    head, sep, body = text.partition("_")
    if head != prefix or not sep or len(body) != WIDTH or any(c not in _INDEX for c in body):
        raise InvalidShortId(text)
    value = decode_base62(body)
    if value >= 1 << 128:
        raise InvalidShortId(text)
    return uuid.UUID(int=value)


def format_error(prefix: str, text: object) -> str:
    """The contract message for an undecodable ID: ``Expected format: PROD_xxx, got "…"``."""
    shown = text if isinstance(text, str) else str(text)
    return f'Expected format: {prefix}_xxx, got "{shown}"'
