"""What a query may ask for: its depth and its cost are bounded before anything runs.

Cost counts every field once, and a list field multiplies what it selects by how many
items it may return (its ``limit``, else the default page; a nested list counts as
``NESTED_LIST``). Introspection is costed the same way, so its cycles
(``__type { fields { type { fields … } } }``) are bounded too; its depth is not counted.
"""

import re

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    ValidationRule,
    get_named_type,
    get_nullable_type,
    is_list_type,
    specified_rules,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from graphql.validation import VariablesInAllowedPositionRule
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from graphql_api.scope import PAGE_DEFAULT, PAGE_MAX

MAX_DEPTH = 12
MAX_COST = 60_000
NESTED_LIST = 10
_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


def _field_definition(parent_type, name: str):
    if name in _META_FIELDS:
        return _META_FIELDS[name]
    fields = getattr(parent_type, "fields", None) or {}
    return fields.get(name)


def _multiplier(node: FieldNode, definition) -> int:
    if "limit" not in definition.args:
        return NESTED_LIST
    for argument in node.arguments or ():
        if argument.name.value == "limit":
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), PAGE_MAX))
            return PAGE_MAX  # a variable: the worst case it may take
    return PAGE_DEFAULT


class _Walk:
    def __init__(self, context):
        self.context = context

    def selections(self, selection_set, parent_type, fragments: tuple) -> tuple[int, int]:
        """(cost, depth) of a selection set under ``parent_type``."""
        cost, depth = 0, 0
        for selection in selection_set.selections if selection_set else ():
            part_cost, part_depth = self.selection(selection, parent_type, fragments)
            cost, depth = cost + part_cost, max(depth, part_depth)
        return cost, depth

    def selection(self, selection, parent_type, fragments: tuple) -> tuple[int, int]:
        if isinstance(selection, FieldNode):
            return self.field(selection, parent_type, fragments)
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            inner = self.context.schema.get_type(condition.name.value) if condition else None
            return self.selections(selection.selection_set, inner or parent_type, fragments)
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = self.context.get_fragment(name)
            if fragment is None or name in fragments:  # other rules report these
                return 0, 0
            inner = self.context.schema.get_type(fragment.type_condition.name.value)
            return self.selections(fragment.selection_set, inner, (*fragments, name))
        return 0, 0

    def field(self, node: FieldNode, parent_type, fragments: tuple) -> tuple[int, int]:
        definition = _field_definition(parent_type, node.name.value)
        if definition is None:  # __typename, or unknown (reported by FieldsOnCorrectType)
            return 0, 1
        child_cost, child_depth = self.selections(
            node.selection_set, get_named_type(definition.type), fragments
        )
        if is_list_type(get_nullable_type(definition.type)):
            child_cost *= _multiplier(node, definition)
        if node.name.value in _META_FIELDS:
            # Introspection's depth is the schema's (GraphiQL's query is 15 deep); its
            # cycles are bounded by the cost, which counts it like any other selection.
            return 1 + child_cost, 1
        return 1 + child_cost, 1 + child_depth


class QueryLimitsRule(ValidationRule):
    """Refuses an operation deeper than ``MAX_DEPTH`` or costlier than ``MAX_COST``."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
        root = self.context.schema.get_root_type(node.operation)
        if root is None:
            return
        cost, depth = _Walk(self.context).selections(node.selection_set, root, ())
        if depth > MAX_DEPTH:
            self.report_error(
                GraphQLError(f"Query depth {depth} exceeds the limit of {MAX_DEPTH}", node)
            )
        elif cost > MAX_COST:
            self.report_error(
                GraphQLError(f"Query cost {cost} exceeds the limit of {MAX_COST}", node)
            )


_ID_AS_STRING = re.compile(r"\bID\b")
_VARIABLE_TYPES = re.compile(r"of type '([^']+)' used in position expecting type '([^']+)'")


class IdOrStringVariablesRule(VariablesInAllowedPositionRule):
    """The standard rule, except that ``ID`` and ``String`` variables stand for each other:
    the guide passes ``$storeId: String!`` to ``store(id: ID!)`` and ``$id: ID!`` elsewhere,
    and both spellings carry the same public ID text."""

    def report_error(self, error: GraphQLError) -> None:
        found = _VARIABLE_TYPES.search(error.message)
        if found:
            given, expected = (_ID_AS_STRING.sub("String", text) for text in found.groups())
            if given in (expected, f"{expected}!"):
                return
        super().report_error(error)


VALIDATION_RULES = (
    *(rule for rule in specified_rules if rule is not VariablesInAllowedPositionRule),
    IdOrStringVariablesRule,
    MaybeNullValidationRule,
    OneOfInputValidationRule,
    QueryLimitsRule,
)
