"""``POST /v1/graphql``: the actions API's credentials, then one query-only operation.

Answers are ``{"data": …}`` or ``{"data": …, "errors": [{message, locations, path}]}``
(what the SDK's ``graphql.query`` returns as is). A document that cannot run is refused
before execution in the actions envelope: 400 (syntax, validation, depth and cost limits),
403 (a mutation or subscription); no or bad credentials are the usual 401.
"""

from graphql import GraphQLError, OperationType, get_operation_ast, parse, validate
from graphql.language import OperationDefinitionNode
from rest_framework.response import Response

from checkout.api.authentication import CustomerTokenAuthentication
from core.api.errors import INTERNAL_ERROR
from core.api.openapi import graphql_operation
from core.api.views import ActionView, parse_json_object
from core.errors import AppError, BadRequest, Forbidden
from graphql_api.limits import VALIDATION_RULES
from graphql_api.schema import customer_schema, merchant_schema
from graphql_api.scope import Scope
from stores.api.authentication import SignedApiKeyAuthentication
from stores.roles import Capability

LAYER = "graphql"
QUERY_ONLY = "Mutations are not supported"


def _refusal(status: int, errors: list[GraphQLError]) -> Response:
    body = [{**error.formatted, "layer": LAYER} for error in errors]
    return Response({"data": None, "errors": body}, status=status)


def _request_parts(payload: dict) -> tuple[str, dict | None, str | None]:
    query = payload.get("query")
    variables = payload.get("variables")
    operation = payload.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise BadRequest("Missing required field: query", layer=LAYER)
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest("variables must be an object", layer=LAYER)
    if operation is not None and not isinstance(operation, str):
        raise BadRequest("operationName must be a string", layer=LAYER)
    return query, variables, operation


def _unknown_operation(name: str | None) -> str:
    """graphql-core's own wording; strawberry would raise (a 500) instead of answering it."""
    if name is None:
        return "Must provide operation name if query contains multiple operations."
    return f"Unknown operation named '{name}'."


def _refuse_writes(document) -> None:
    for definition in document.definitions:
        if (
            isinstance(definition, OperationDefinitionNode)
            and definition.operation is not OperationType.QUERY
        ):
            raise Forbidden(QUERY_ONLY, layer=LAYER)


@graphql_operation()
class GraphQLView(ActionView):
    authentication_classes = (SignedApiKeyAuthentication, CustomerTokenAuthentication)
    allowed_credentials = ("api_key", "customer_token")
    capability = Capability.READ  # every role; what a read reaches is the scope's memberships

    def post(self, request, *args, **kwargs):
        # Reads only: no idempotency ledger (nothing to replay).
        return self._respond(request, request.body)

    def _respond(self, request, raw: bytes) -> Response:
        query, variables, operation = _request_parts(parse_json_object(raw))
        credential = request.auth
        schema = merchant_schema if credential.kind == "api_key" else customer_schema
        try:
            document = parse(query)
        except GraphQLError as error:
            return _refusal(400, [error])
        _refuse_writes(document)
        if get_operation_ast(document, operation) is None:
            return _refusal(400, [GraphQLError(_unknown_operation(operation))])
        errors = validate(schema._schema, document, VALIDATION_RULES)
        if errors:
            return _refusal(400, errors)
        result = schema.execute_sync(
            query,
            variable_values=variables,
            operation_name=operation,
            context_value={"scope": Scope(credential=credential), "request": request},
        )
        body: dict = {"data": result.data}
        crashed = False
        if result.errors:
            body["errors"] = []
            for error in result.errors:
                crashed |= _is_crash(error)
                body["errors"].append(_public(error))
        refused = 500 if crashed else 400
        return Response(body, status=200 if result.data is not None else refused)


def _is_crash(error: GraphQLError) -> bool:
    """A resolver that raised something no rule raises: a bug, not the client's fault."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | AppError)


def _public(error: GraphQLError) -> dict:
    """The error as the client may see it: a crash says only that one happened, never the
    exception's text (strawberry logs it, with the request ID)."""
    if not _is_crash(error):
        return error.formatted
    return {**error.formatted, "message": INTERNAL_ERROR}
