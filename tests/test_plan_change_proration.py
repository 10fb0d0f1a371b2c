"""Proration in integer minor units: the rounding rule per currency (0, 2 and 3 decimals),
and the tax recomputed on what is credited and what is charged."""

from datetime import UTC, datetime, timedelta

import pytest

from checkout.tax import BuyerLocation
from subscriptions.proration import Plan, fixed_quote, prorate, prorated_quote

START = datetime(2026, 4, 1, tzinfo=UTC)
END = datetime(2026, 5, 1, tzinfo=UTC)  # 30 days
GERMANY = BuyerLocation(country="DE", region=None, postcode=None, is_business=False, tax_id=None)
NO_TAX = BuyerLocation(country="HK", region=None, postcode=None, is_business=False, tax_id=None)
DAY = 86400


@pytest.mark.parametrize(
    ("amount", "unused", "period", "expected"),
    [
        (3000, 15 * DAY, 30 * DAY, 1500),  # USD 30.00, half the month: 15.00
        (1000, 1, 3, 333),  # JPY 1000 x 1/3 = 333.3 -> 333
        (1000, 2, 3, 667),  # JPY 1000 x 2/3 = 666.7 -> 667
        (5, 1, 2, 3),  # JPY 2.5 -> 3: half up
        (10000, 1, 7, 1429),  # KWD 10.000 x 1/7 = 1.428571 -> 1.429
        (1, 1, 2, 1),  # BHD 0.0005 -> 0.001: half up at the third decimal
        (1, 1, 3, 0),  # BHD 0.000333 -> 0.000
        (2999, 0, 30 * DAY, 0),  # nothing left of the period
        (2999, 31 * DAY, 30 * DAY, 2999),  # clamped to the whole period
        (2999, -5, 30 * DAY, 0),  # clamped to nothing
    ],
)
def test_prorate_rounds_half_up_to_the_minor_unit(amount, unused, period, expected):
    assert prorate(amount, unused_seconds=unused, period_seconds=period) == expected


@pytest.mark.parametrize(
    ("currency", "current", "target", "days_left", "buyer", "due", "tax"),
    [
        # USD (2 decimals), German VAT 19 % on top: credit 5.00+0.95, charge 15.00+2.85
        ("USD", 1000, 3000, 15, GERMANY, 1190, 190),
        # JPY (0 decimals): credit 333+63, charge 1000+190
        ("JPY", 1000, 3000, 10, GERMANY, 794, 127),
        # KWD (3 decimals): credit 3.333+0.633, charge 8.333+1.583
        ("KWD", 10000, 25000, 10, GERMANY, 5950, 950),
        # BHD (3 decimals), untaxed: 2.500 x 1/30 - 1.000 x 1/30 = 0.083 - 0.033
        ("BHD", 1000, 2500, 1, NO_TAX, 50, 0),
        # a downgrade made now: a credit (negative due)
        ("USD", 3000, 1000, 15, GERMANY, -1190, -190),
    ],
)
def test_prorated_quote_credits_unused_time_and_charges_the_rest(
    currency, current, target, days_left, buyer, due, tax
):
    quote = prorated_quote(
        current=Plan(current, 1, "saas", False, "monthly"),
        target=Plan(target, 1, "saas", False, "monthly"),
        currency=currency,
        buyer=buyer,
        period_start=START,
        period_end_at=END,
        now=END - timedelta(days=days_left),
    )

    assert (quote.due_minor, quote.tax_minor) == (due, tax)
    assert quote.due_minor == quote.charge_minor - quote.credit_minor
    assert all(isinstance(value, int) for value in (quote.due_minor, quote.tax_minor))


def test_a_change_to_a_yearly_plan_is_charged_per_time():
    quote = prorated_quote(
        current=Plan(1000, 1, "saas", False, "monthly"),
        target=Plan(36500, 1, "saas", False, "yearly"),
        currency="USD",
        buyer=NO_TAX,
        period_start=START,
        period_end_at=END,
        now=END - timedelta(days=10),
    )

    # 365.00 a year is 1.00 a day (2026-04-01 + 1 year = 365 days): 10 days 10.00,
    # less 10/30 of 10.00 (3.33)
    assert quote.due_minor == 1000 - 333


def test_a_fixed_amount_includes_its_tax_at_the_target_rate():
    target = Plan(3000, 1, "saas", False, "monthly")

    charged = fixed_quote(
        target=target, currency="USD", buyer=GERMANY, amount_minor=1190, credit=False
    )
    credited = fixed_quote(
        target=target, currency="USD", buyer=GERMANY, amount_minor=1190, credit=True
    )

    assert (charged.due_minor, charged.tax_minor) == (1190, 190)
    assert (credited.due_minor, credited.tax_minor) == (-1190, -190)
