"""The two schemas: the merchant's (signed API key) and the buyer's (customer token).

Query-only: neither has a mutation type, and the view refuses mutations before anything
runs. Validation (the standard rules, ID/String variables, the depth and cost limits) is
the view's, done once before execution (``limits.VALIDATION_RULES``)."""

import strawberry
from strawberry.extensions import DisableValidation
from strawberry.tools import merge_types

from graphql_api.queries.catalog import CatalogQueries
from graphql_api.queries.customer import CUSTOMER_TYPES, CustomerQuery
from graphql_api.queries.customer_analysis import CustomerAnalysisQueries
from graphql_api.queries.distribution_analysis import DistributionAnalysisQueries
from graphql_api.queries.groups import GroupQueries
from graphql_api.queries.orders import OrderQueries
from graphql_api.queries.payment_statistics import PaymentStatisticsQueries
from graphql_api.queries.product_statistics import ProductStatisticsQueries
from graphql_api.queries.rates import RateQueries
from graphql_api.queries.refund_analysis import RefundAnalysisQueries
from graphql_api.queries.refunds import RefundQueries
from graphql_api.queries.statistics import StatisticsQueries
from graphql_api.queries.stores import StoreQueries
from graphql_api.queries.subscription_analysis import SubscriptionAnalysisQueries
from graphql_api.queries.tax_analysis import TaxAnalysisQueries
from graphql_api.queries.trend_analysis import TrendAnalysisQueries
from graphql_api.queries.webhooks import WebhookQueries


def _extensions() -> list:
    # A resolver crash is masked by the view (``views._public``), which also answers 500.
    return [DisableValidation]


Query = merge_types(
    "Query",
    (
        StoreQueries,
        CatalogQueries,
        GroupQueries,
        OrderQueries,
        RefundQueries,
        RefundAnalysisQueries,
        StatisticsQueries,
        PaymentStatisticsQueries,
        ProductStatisticsQueries,
        SubscriptionAnalysisQueries,
        TaxAnalysisQueries,
        TrendAnalysisQueries,
        DistributionAnalysisQueries,
        CustomerAnalysisQueries,
        RateQueries,
        WebhookQueries,
    ),
)

merchant_schema = strawberry.Schema(query=Query, extensions=_extensions())
customer_schema = strawberry.Schema(
    query=CustomerQuery,
    types=CUSTOMER_TYPES,
    extensions=_extensions(),
)
