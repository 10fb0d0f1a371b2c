"""The two schemas: the merchant's (signed API key) and the buyer's (customer token).

Query-only: neither has a mutation type, and the view refuses mutations before anything
runs. Validation (the standard rules, ID/String variables, the depth and cost limits) is
the view's, done once before execution (``limits.VALIDATION_RULES``)."""

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableValidation, MaskErrors
from strawberry.tools import merge_types

from graphql_api.queries.catalog import CatalogQueries
from graphql_api.queries.customer import CUSTOMER_TYPES, CustomerQuery
from graphql_api.queries.orders import OrderQueries
from graphql_api.queries.statistics import StatisticsQueries
from graphql_api.queries.stores import StoreQueries

INTERNAL_ERROR = "Internal server error"


def _is_unexpected(error: GraphQLError) -> bool:
    """A crash in a resolver is masked; a refusal we raised on purpose is shown."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def _masking() -> MaskErrors:
    return MaskErrors(should_mask_error=_is_unexpected, error_message=INTERNAL_ERROR)


def _extensions() -> list:
    return [DisableValidation, _masking]


Query = merge_types("Query", (StoreQueries, CatalogQueries, OrderQueries, StatisticsQueries))

merchant_schema = strawberry.Schema(query=Query, extensions=_extensions())
customer_schema = strawberry.Schema(
    query=CustomerQuery,
    types=CUSTOMER_TYPES,
    extensions=_extensions(),
)
