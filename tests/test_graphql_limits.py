"""What ``POST /v1/graphql`` refuses before running anything (mutations 403; syntax,
validation, depth and cost 400), that introspection works, and that a page of orders costs
a fixed number of SQL statements whatever its length."""

import json

import pytest
from graphql import get_introspection_query

from graphql_api.limits import MAX_COST, MAX_DEPTH
from tests.factories import ProductFactory
from tests.graphql_support import GRAPHQL, customer_gql, gql, paid_order


def test_a_mutation_is_forbidden(api, store):
    status, body = gql(api, 'mutation { createStore(name: "x") { id } }')

    assert status == 403
    assert body == {
        "data": None,
        "errors": [{"message": "Mutations are not supported", "layer": "graphql"}],
    }


def test_a_mutation_beside_a_query_is_forbidden_too(store):
    status, _ = customer_gql(store, "u", "query { orders { id } } mutation { x }")

    assert status == 403


def test_a_syntax_error_is_a_400_with_its_location(api, store):
    status, body = gql(api, "query { stores { id }")

    assert status == 400
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"].startswith("Syntax Error")
    assert error["locations"] == [{"line": 1, "column": 22}]
    assert error["layer"] == "graphql"


def test_an_unknown_field_is_a_400(api, store):
    status, body = gql(api, "query { stores { id password } }")

    assert status == 400
    assert body["errors"][0]["message"] == "Cannot query field 'password' on type 'Store'."


def test_a_missing_query_is_a_400(api, store):
    response = api.post(GRAPHQL, {"variables": {}})

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Missing required field: query"


def test_a_query_deeper_than_the_limit_is_refused(api, store):
    status, body = gql(api, "query { payments { " + _chain(MAX_DEPTH) + " } }")

    assert status == 400
    assert body["data"] is None
    assert body["errors"][0]["message"] == (
        f"Query depth {MAX_DEPTH + 1} exceeds the limit of {MAX_DEPTH}"
    )


def _chain(levels: int) -> str:
    """``levels`` more fields below a payment: onetimeOrder { payments { … id } }."""
    parts = ["onetimeOrder", "payments"]
    inner = "id"
    for level in reversed(range(levels - 1)):
        inner = f"{parts[level % 2]} {{ {inner} }}"
    return inner


def test_a_query_at_the_depth_limit_passes_the_depth_rule(api, store):
    """Nested lists multiply: this one is refused, but for its cost, not its depth."""
    status, body = gql(api, "query { payments { " + _chain(MAX_DEPTH - 1) + " } }")

    assert status == 400
    assert body["errors"][0]["message"].startswith("Query cost ")


def test_a_deep_query_within_the_cost_runs(api, store):
    order = paid_order(ProductFactory(store=store))
    chain = "payments { onetimeOrder { payments { onetimeOrder { store { name } } } } }"

    status, body = gql(api, "query { onetimeOrders(limit: 1) { " + chain + " } }")

    assert status == 200, body
    [row] = body["data"]["onetimeOrders"]
    assert row["payments"][0]["onetimeOrder"]["payments"][0]["onetimeOrder"]["store"] == {
        "name": store.name
    }
    assert order.payments.count() == 1


def test_introspection_cycles_are_bounded_by_cost(api, store):
    inner = "name"
    for _ in range(5):
        inner = f"fields {{ type {{ {inner} }} }}"
    status, body = gql(api, "{ __schema { types { " + inner + " } } }")

    assert status == 400
    assert body["errors"][0]["message"].startswith("Query cost ")


def test_a_query_costlier_than_the_limit_is_refused(api, store):
    lists = " ".join(
        f"o{n}: onetimeOrders(limit: 100) {{ id lines {{ name total }} payments {{ id }} }}"
        for n in range(30)
    )

    status, body = gql(api, "query { " + lists + " }")

    assert status == 400
    assert body["data"] is None
    message = body["errors"][0]["message"]
    assert message.startswith("Query cost ")
    assert message.endswith(f"exceeds the limit of {MAX_COST}")


def test_the_standard_introspection_query_runs(api, store):
    status, body = gql(api, get_introspection_query(descriptions=True))

    assert status == 200, body
    names = {kind["name"] for kind in body["data"]["__schema"]["types"]}
    assert {"OnetimeOrder", "StringFilter", "DateTimeFilter", "IntFilter", "BooleanFilter"} <= names
    assert body["data"]["__schema"]["mutationType"] is None


def test_the_guides_introspection_examples(api, store):
    status, body = gql(
        api,
        """{
          __schema { queryType { fields { name description
            args { name type { name kind ofType { name } } } } } }
          order: __type(name: "OnetimeOrder") { fields { name type { name kind ofType { name } } } }
          filter: __type(name: "OnetimeOrderFilter") { inputFields { name type { name } } }
        }""",
    )

    assert status == 200, body
    queries = {field["name"] for field in body["data"]["__schema"]["queryType"]["fields"]}
    assert {
        "stores",
        "store",
        "onetimeProducts",
        "onetimeProduct",
        "subscriptionProducts",
        "onetimeProductVersions",
        "subscriptionProductVersions",
        "onetimeOrders",
        "onetimeOrder",
        "subscriptionOrders",
        "subscriptionOrder",
        "payments",
        "merchant",
        "storesCount",
        "onetimeOrdersCount",
        "paymentsCount",
    } <= queries
    order_fields = {field["name"] for field in body["data"]["order"]["fields"]}
    assert {"priceSnapshot", "payments", "onetimeProduct", "buyerEmail"} <= order_fields
    filter_fields = {field["name"] for field in body["data"]["filter"]["inputFields"]}
    assert "orderMerchantExternalId" in filter_fields


ORDERS_WITH_LINES_AND_PAYMENTS = """query {
  onetimeOrders(limit: 100) {
    id status buyerEmail priceSnapshot { total taxCategory }
    onetimeProduct { name status storeId hasProdVersion } productVersion { versionNumber }
    store { name }
    lines { name quantity total productId }
    payments { id status cardInfo { brand last4 expMonth } snapshotAmountDetails { total } }
  }
}"""


@pytest.mark.parametrize("orders", [1, 50])
def test_a_page_of_orders_costs_a_fixed_number_of_statements(
    api, store, orders, django_assert_max_num_queries, many_payments
):
    product = ProductFactory(store=store)
    for _ in range(orders):
        paid_order(product)

    # Authentication reads the key, remembers the signature (replay refusal) and marks the
    # key used once a minute (up to 3); then orders, lines, payments.
    with django_assert_max_num_queries(6):
        status, body = gql(api, ORDERS_WITH_LINES_AND_PAYMENTS)

    assert status == 200, body
    assert len(body["data"]["onetimeOrders"]) == orders
    assert all(len(row["payments"]) == 1 for row in body["data"]["onetimeOrders"])


def test_a_page_of_payments_costs_a_fixed_number_of_statements(
    api, store, django_assert_max_num_queries, many_payments
):
    product = ProductFactory(store=store)
    for _ in range(20):
        paid_order(product)

    with django_assert_max_num_queries(5):
        status, body = gql(
            api,
            "query { payments(limit: 50) { id orderId snapshotAmountDetails { taxCategory }"
            " onetimeOrder { id buyerEmail store { name } } cardInfo { brand } } }",
        )

    assert status == 200, body
    assert len(body["data"]["payments"]) == 20


def test_variables_must_be_an_object(api, store):
    response = api.post(GRAPHQL, {"query": "{ stores { id } }", "variables": [1]})

    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["message"] == "variables must be an object"


def test_id_and_string_variables_stand_for_each_other_but_nothing_else(api, store):
    accepted, _ = gql(api, "query ($id: String!) { store(id: $id) { id } }", id=store.public_id)
    refused, body = gql(api, "query ($id: Int!) { store(id: $id) { id } }", id=1)

    assert accepted == 200
    assert refused == 400
    assert body["errors"][0]["message"] == (
        "Variable '$id' of type 'Int!' used in position expecting type 'ID!'."
    )


def test_an_operation_name_the_document_does_not_define_is_a_400(api, store):
    # Found by the schemathesis run: strawberry raised on it, a 500.
    response = api.post(GRAPHQL, {"query": "{ __typename }", "operationName": "Missing"})

    assert response.status_code == 400
    assert response.json() == {
        "data": None,
        "errors": [{"message": "Unknown operation named 'Missing'.", "layer": "graphql"}],
    }


def test_two_operations_without_an_operation_name_are_a_400(api, store):
    status, body = gql(api, "query A { __typename } query B { __typename }")

    assert status == 400
    assert body["errors"][0]["message"] == (
        "Must provide operation name if query contains multiple operations."
    )


def test_an_operation_name_picks_one_of_several_operations(api, store):
    query = "query A { __typename } query B { __typename }"
    response = api.post(GRAPHQL, {"query": query, "operationName": "B"})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
