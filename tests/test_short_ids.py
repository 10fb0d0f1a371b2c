import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.ids import InvalidShortId, format_error, from_short_id, to_short_id


def test_design_doc_example():
    value = uuid.UUID("550e8400-e29b-41d4-a716-446655440000")
    assert to_short_id("STO", value) == "STO_2aUyqjCzEIiEcYMKj7TZtw"
    assert from_short_id("STO", "STO_2aUyqjCzEIiEcYMKj7TZtw") == value


@given(st.uuids())
def test_round_trip_is_exact_and_always_22_characters(value):
    short = to_short_id("PROD", value)
    assert len(short) == len("PROD_") + 22
    assert from_short_id("PROD", short) == value


@pytest.mark.parametrize(
    "text",
    [
        "PROD_2aUyqjCzEIiEcYMKj7TZtw",  # wrong prefix for STO
        "STO_2aUyqjCzEIiEcYMKj7TZt",  # 21 characters
        "STO_2aUyqjCzEIiEcYMKj7TZtw_",
        "STO_2aUyqjCzEIiEcYMKj7TZ-w",
        "STO_zzzzzzzzzzzzzzzzzzzzzz",  # more than 128 bits
        "sto_2aUyqjCzEIiEcYMKj7TZtw",
        "",
        None,
        42,
    ],
)
def test_undecodable_ids_are_refused(text):
    with pytest.raises(InvalidShortId):
        from_short_id("STO", text)


def test_format_error_is_the_contract_message():
    assert format_error("PROD", "abc") == 'Expected format: PROD_xxx, got "abc"'
