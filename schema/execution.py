"""Execution of plain leaf fields without graphql-core's per-field ceremony.

A profile page resolves ~600 fields and most are leaves read straight off a record (a work's
title, an author's position). graphql-core builds a resolve-info object, looks up arguments and
walks the type wrappers for each of them; that is most of the ~7 us a field costs. A field
whose Strawberry definition has no resolver, no extensions and a scalar or enum type (non-null
or not) is completed here by reading the attribute and coercing it, which is exactly what the
general path would do. Anything unusual (a null for a non-null field, a value the type refuses,
a failing attribute) goes back to the general path, so errors read the same as before.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path, Undefined, UndefinedType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

STRAWBERRY_DEFINITION = "strawberry-definition"


@dataclass(frozen=True, slots=True)
class LeafPlan:
    """How to complete one plain leaf field: the attribute to read and its coercion."""

    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool


def leaf_plan(field: GraphQLField) -> LeafPlan | None:
    """The plan for ``field`` when it is a plain attribute of a scalar or enum type."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if definition.default_resolver is not getattr or definition.permission_classes:
        return None
    non_null = isinstance(field.type, GraphQLNonNull)
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not is_leaf_type(named):
        return None
    return LeafPlan(definition.python_name, named.coerce_output_value, non_null)


def leaf_plans(schema: GraphQLSchema) -> dict[tuple[str, str], LeafPlan]:
    """Every plain leaf field of ``schema``'s object types, by (type name, field name)."""
    return {
        (type_name, field_name): plan
        for type_name, named in schema.type_map.items()
        if isinstance(named, GraphQLObjectType) and not type_name.startswith("__")
        for field_name, field in named.fields.items()
        if (plan := leaf_plan(field)) is not None
    }


_PLANS: weakref.WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], LeafPlan]] = (
    weakref.WeakKeyDictionary()
)


def plans_for(schema: GraphQLSchema) -> dict[tuple[str, str], LeafPlan]:
    """``leaf_plans`` of ``schema``, computed once per schema."""
    plans = _PLANS.get(schema)
    if plans is None:
        plans = _PLANS[schema] = leaf_plans(schema)
    return plans


class LeafFastPathExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, completing plain leaf fields directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Middleware (an extension's ``resolve`` hook) must see every field: no fast path then.
        middleware = self.middleware_manager
        self._leaf_plans = {} if middleware and middleware.middlewares else plans_for(self.schema)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any] | UndefinedType:
        """Complete a plain leaf field in place; hand every other field to graphql-core."""
        plan = self._leaf_plans.get((parent_type.name, field_details_list[0].node.name.value))
        if plan is not None:
            completed = complete_leaf(plan, source)
            if completed is not Undefined:
                return completed
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def complete_leaf(plan: LeafPlan, source: Any) -> Any:
    """The field's completed value, or Undefined when only the general path may decide it.

    That is the case for a missing attribute, a null for a non-null field, an exception as
    the value, and a value the type's coercion refuses: the general path raises the error
    with the field's path and location.
    """
    value = getattr(source, plan.attribute, Undefined)
    if value is None:
        return Undefined if plan.non_null else None
    if value is Undefined or isinstance(value, Exception):
        return Undefined
    try:
        coerced = plan.coerce(value)
    except Exception:
        return Undefined
    return Undefined if coerced is None else coerced
