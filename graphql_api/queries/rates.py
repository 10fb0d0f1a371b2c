"""``rate``: the guide's exchange rate between two ``CurrencyCode``s, a cross rate through
the euro from the ECB reference set (``fx.selectors.cross_rate``, which documents the
precision, the set's ID and its expiry). No set quoting both is the field's error: the
answer is 200 with ``rate: null`` and the message, as GraphQL reports a resolver's error."""

import enum

import strawberry
from graphql import GraphQLError

from core.money import sellable_currencies
from core.timefmt import iso_utc
from fx.selectors import NoRate, cross_rate

CurrencyCode = strawberry.enum(
    enum.Enum("CurrencyCode", {code: code for code in sorted(sellable_currencies())}),
    description="ISO 4217 codes of the currencies legal tender somewhere today (CLDR).",
)


@strawberry.type
class Rate:
    from_currency: CurrencyCode
    to_currency: CurrencyCode
    standard_rate: str = strawberry.field(
        description="Units of toCurrency per unit of fromCurrency, 10 decimal places."
    )
    rate_ref_id: str = strawberry.field(description="The reference set: ECB-<its date>.")
    expiry_time: str = strawberry.field(
        description="When the set stops being current: the next weekday, 16:00 Frankfurt."
    )


@strawberry.type
class RateQueries:
    @strawberry.field
    def rate(self, from_currency: CurrencyCode, to_currency: CurrencyCode) -> Rate | None:
        try:
            quote = cross_rate(from_currency=from_currency.value, to_currency=to_currency.value)
        except NoRate as exc:
            raise GraphQLError(str(exc)) from None
        return Rate(
            from_currency=from_currency,
            to_currency=to_currency,
            standard_rate=str(quote.rate),
            rate_ref_id=quote.ref_id,
            expiry_time=iso_utc(quote.expires_at),
        )
