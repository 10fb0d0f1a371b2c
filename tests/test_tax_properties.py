"""Rounding and sum invariants of compute_tax over random carts.

The oracle for "exact" tax is Fraction arithmetic on the table's rates, independent of the
engine's own integer bookkeeping.
"""

from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from checkout.tax import TAX_CATEGORIES, BuyerLocation, TaxLine, compute_tax, rate_for

ON = date(2026, 11, 1)

LOCATIONS = [
    BuyerLocation(country="DE"),
    BuyerLocation(country="FI"),
    BuyerLocation(country="HU"),
    BuyerLocation(country="CH"),
    BuyerLocation(country="JP"),
    BuyerLocation(country="CA", region="QC"),
    BuyerLocation(country="CA", region="BC"),
    BuyerLocation(country="US", region="TX"),
    BuyerLocation(country="US", region="NY"),
    BuyerLocation(country="US", region="NM"),
    BuyerLocation(country="US", region="CA"),
    BuyerLocation(country="BR"),
    BuyerLocation(country="DE", is_business=True, tax_id="DE136695976"),
]

tax_lines = st.builds(
    TaxLine,
    amount_minor=st.integers(min_value=0, max_value=10**9),
    quantity=st.integers(min_value=1, max_value=100),
    tax_category=st.sampled_from(TAX_CATEGORIES),
    tax_included=st.booleans(),
)
currencies = st.sampled_from(["USD", "JPY", "KWD", "EUR"])
locations = st.sampled_from(LOCATIONS)
carts = st.lists(tax_lines, min_size=1, max_size=6)

fast = settings(max_examples=200, deadline=None)


def _with_included(line, included):
    return TaxLine(
        amount_minor=line.amount_minor,
        quantity=line.quantity,
        tax_category=line.tax_category,
        tax_included=included,
    )


def exact_tax(lines, buyer, reverse_charge):
    total = Fraction(0)
    for line in lines:
        row = None
        if not reverse_charge:
            row = rate_for(
                country=buyer.country, region=buyer.region, tax_category=line.tax_category, on=ON
            )
        rate = Fraction(row.rate) if row else Fraction(0)
        amount = line.amount_minor * line.quantity
        total += amount * rate / (100 + rate) if line.tax_included else amount * rate / 100
    return total


@fast
@given(lines=carts, currency=currencies, buyer=locations)
def test_total_is_subtotal_plus_tax_and_nothing_is_negative(lines, currency, buyer):
    result = compute_tax(lines=lines, currency=currency, buyer=buyer, on=ON)
    assert result.total_minor == result.subtotal_minor + result.tax_minor
    assert min(result.subtotal_minor, result.tax_minor, result.total_minor) >= 0
    for line in result.lines:
        assert line.total_minor == line.subtotal_minor + line.tax_minor
        assert min(line.subtotal_minor, line.tax_minor, line.total_minor) >= 0


@fast
@given(lines=carts, currency=currencies, buyer=locations)
def test_tax_is_the_exact_sum_rounded_once_half_up(lines, currency, buyer):
    result = compute_tax(lines=lines, currency=currency, buyer=buyer, on=ON)
    exact = exact_tax(lines, buyer, result.reverse_charge)
    assert result.reverse_charge == buyer.is_business
    assert abs(result.tax_minor - exact) <= Fraction(1, 2)
    # Half-up, not half-even: an exact half always rounds away from zero.
    if exact.denominator == 2:
        assert result.tax_minor == exact + Fraction(1, 2)


@fast
@given(lines=carts, currency=currencies, buyer=locations)
def test_line_allocations_sum_to_the_totals(lines, currency, buyer):
    result = compute_tax(lines=lines, currency=currency, buyer=buyer, on=ON)
    assert sum(x.subtotal_minor for x in result.lines) == result.subtotal_minor
    assert sum(x.tax_minor for x in result.lines) == result.tax_minor
    assert sum(x.total_minor for x in result.lines) == result.total_minor
    for line, allocated in zip(lines, result.lines, strict=True):
        amount = line.amount_minor * line.quantity
        # An included line's buyer pays its gross; an excluded line's net is its price.
        if line.tax_included:
            assert allocated.total_minor == amount
        else:
            assert allocated.subtotal_minor == amount
        if allocated.rate == 0:
            assert allocated.tax_minor == 0


@fast
@given(
    lines=st.lists(tax_lines.map(lambda x: _with_included(x, True)), min_size=1, max_size=6),
    currency=currencies,
    buyer=locations,
)
def test_all_included_cart_keeps_the_gross_total(lines, currency, buyer):
    result = compute_tax(lines=lines, currency=currency, buyer=buyer, on=ON)
    assert result.total_minor == sum(x.amount_minor * x.quantity for x in lines)


@fast
@given(
    lines=st.lists(tax_lines.map(lambda x: _with_included(x, False)), min_size=1, max_size=6),
    currency=currencies,
    buyer=locations,
)
def test_all_excluded_cart_keeps_the_net_subtotal(lines, currency, buyer):
    result = compute_tax(lines=lines, currency=currency, buyer=buyer, on=ON)
    assert result.subtotal_minor == sum(x.amount_minor * x.quantity for x in lines)
