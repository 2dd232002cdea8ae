"""Execution of plain fields without graphql-core's per-field ceremony.

A profile page resolves ~600 fields and most are read straight off a record (a work's title,
an author's position and name). graphql-core builds a resolve-info object, a path, looks up
arguments and walks the type wrappers for each of them; that is most of what a field
costs. A *plain* field is one whose Strawberry definition has no resolver and no extensions.
Three shortcuts take them, doing exactly what the general path would:

- a plain field of a scalar or enum type is completed by reading the attribute and coercing it
  (``LeafPlan``);
- an object whose whole selection is plain fields, down to its leaves (an author's
  ``{ position researcher { id name } }``), is completed in one pass from a plan compiled once
  per selection (``ObjectPlan``): once per request when a directive of the operation takes a
  variable (``@include(if: $x)``), else once per parsed operation (``OperationPlans``);
- a resolver's list of such objects (a researcher's collaborators, topics, affiliations) is
  completed by the same plan, not item by item through graphql-core.

Anything unusual (a null for a non-null field, a value the type refuses, an object of another
type, a failing attribute) goes back to the general path for that field or object, so errors
read the same as before.
"""

from __future__ import annotations

import enum
import weakref
from collections.abc import AsyncIterable, Callable, Iterable
from dataclasses import dataclass
from math import isfinite
from typing import Any, cast

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    DirectiveNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableNode,
    Visitor,
    is_leaf_type,
    specified_scalar_types,
    visit,
)
from graphql.execution.collect_fields import FieldDetailsList, FragmentDetails
from graphql.pyutils import AwaitableOrValue, Path, Undefined, UndefinedType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

STRAWBERRY_DEFINITION = "strawberry-definition"


@dataclass(frozen=True, slots=True)
class LeafPlan:
    """How to complete one plain leaf field: the attribute to read and its coercion.
    ``unchanged``: the Python type whose values the coercion gives back as they are (str for
    String and ID, bool, a finite float, a 32-bit int), completed without calling it."""

    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool
    unchanged: type | None = None


# The built-in scalars' output coercions return a value of these types unchanged (within
# the bounds _coerced checks), by the scalar's name.
_UNCHANGED: dict[str, type] = {
    "String": str,
    "ID": str,
    "Boolean": bool,
    "Float": float,
    "Int": int,
}


def plain_attribute(field: GraphQLField) -> str | None:
    """The attribute a plain field reads (no resolver, no extensions, no arguments)."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if definition.default_resolver is not getattr or definition.permission_classes:
        return None
    return None if field.args else definition.python_name


# Field metadata naming the attribute where the parent may already hold the field's value for
# its arguments' defaults (a work of a researcher's page holds all its authors). When it does,
# a selection giving no arguments completes the field as a plain one from that attribute; when
# the attribute is None, the field's resolver runs.
PREFETCHED = "researchgraph.prefetched"


def prefetched_attribute(field: GraphQLField, details: FieldDetailsList) -> str | None:
    """The attribute holding a non-null field's value when prefetched, for a selection
    (``details``) that gives none of its arguments."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions:
        return None
    if any(d.node.arguments for d in details) or not isinstance(field.type, GraphQLNonNull):
        return None
    attribute = definition.metadata.get(PREFETCHED)
    return attribute if isinstance(attribute, str) else None


def leaf_plan(field: GraphQLField) -> LeafPlan | None:
    """The plan for ``field`` when it is a plain attribute of a scalar or enum type."""
    attribute = plain_attribute(field)
    if attribute is None:
        return None
    non_null = isinstance(field.type, GraphQLNonNull)
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not is_leaf_type(named):
        return None
    return LeafPlan(attribute, output_coercion(named), non_null, unchanged_type(named))


def unchanged_type(named: Any) -> type | None:
    """The Python type a built-in scalar's output coercion leaves as it is, else None."""
    is_built_in = specified_scalar_types.get(named.name) is named
    return _UNCHANGED[named.name] if is_built_in else None


def output_coercion(named: Any) -> Callable[[Any], Any]:
    """The leaf type's output coercion; for an enum of Python members, a look-up of each
    member's GraphQL name first (Strawberry's compares the value with every member's, a
    microsecond on each of the thousands of nodes and edges a subgraph has)."""
    members = getattr(named, "wrapped_cls", None)
    if not (
        isinstance(named, GraphQLEnumType)
        and isinstance(members, type)
        and issubclass(members, enum.Enum)
    ):
        return cast("Callable[[Any], Any]", named.coerce_output_value)
    names = {
        member: name
        for name, value in named.values.items()
        for member in members
        if member.value == value.value
    }
    general = named.coerce_output_value

    def coerce(value: Any) -> Any:
        try:
            return names[value]
        except (KeyError, TypeError):
            return general(value)

    return coerce


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


@dataclass(frozen=True, slots=True)
class TypeName:
    """``__typename`` in a plain selection: the object type's name."""

    name: str


@dataclass(frozen=True, slots=True)
class NestedField:
    """A plain field holding an object or a list (of objects or of leaves).

    ``items`` completes one element: an ``ObjectPlan`` for objects, a ``LeafPlan`` (whose
    attribute is unused) for scalars and enums. ``origin`` is the class an object must be an
    instance of when its type checks what it is given (``is_type_of``), else None.
    """

    attribute: str
    non_null: bool
    is_list: bool
    items_non_null: bool
    items: ObjectPlan | LeafPlan
    origin: type | None


@dataclass(frozen=True, slots=True)
class ObjectPlan:
    """A selection made only of plain fields, by response key, in response order."""

    fields: tuple[tuple[str, LeafPlan | NestedField | TypeName], ...]


PlanKey = tuple[Any, tuple[int, ...]]


@dataclass(slots=True)
class OperationPlans:
    """The object and list plans of one operation's selections, by return type and the ids
    of the selection's field nodes. Each entry keeps its field nodes alive, so their ids
    stay unique while it exists."""

    objects: dict[PlanKey, tuple[FieldDetailsList, ObjectPlan | None]]
    lists: dict[PlanKey, tuple[FieldDetailsList, NestedField | None]]


class _VariableDirectives(Visitor):
    found = False

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        if any(isinstance(argument.value, VariableNode) for argument in node.arguments or ()):
            self.found = True


# Per parsed operation (ParserCache keeps one per query text across requests); None for an
# operation whose selections depend on its variables. An entry goes with its operation.
_OPERATION_PLANS: dict[int, OperationPlans | None] = {}


def operation_plans(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
) -> OperationPlans | None:
    """The plans shared by every execution of ``operation``, or None when a directive in it
    (or in the fragments it may spread) takes a variable: which fields are selected then
    depends on each request's variables."""
    key = id(operation)
    if key in _OPERATION_PLANS:
        return _OPERATION_PLANS[key]
    directives = _VariableDirectives()
    for node in (operation, *(fragment.definition for fragment in fragments.values())):
        visit(node, directives)
    plans = None if directives.found else OperationPlans({}, {})
    _OPERATION_PLANS[key] = plans
    weakref.finalize(operation, _OPERATION_PLANS.pop, key, None)
    return plans


class NotPlain(Exception):
    """A value the plan cannot complete as graphql-core would: the general path takes over."""


class PlainFieldExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, completing plain fields and selections directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Middleware (an extension's ``resolve`` hook) must see every field: no fast path then.
        middleware = self.middleware_manager
        self._plain = not (middleware and middleware.middlewares)
        self._leaf_plans = plans_for(self.schema) if self._plain else {}
        # Per operation, or per request when @include/@skip take variables.
        self._plans = operation_plans(self.operation, self.fragments) or OperationPlans({}, {})

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

    def collect_and_execute_subfields(
        self,
        return_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        """Complete an object whose selection is all plain fields in one pass (its type was
        checked already); anything else, or anything unusual, takes graphql-core's path."""
        plan = self._object_plan(return_type, field_details_list) if self._plain else None
        if plan is not None:
            try:
                return complete_object(plan, result)
            except NotPlain:
                pass
        return super().collect_and_execute_subfields(
            return_type, field_details_list, path, result, position_context
        )

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: AsyncIterable[Any] | Iterable[Any],
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        """Complete a resolver's list of objects whose selection is all plain fields in one
        pass, where graphql-core completes item by item; anything else, or anything unusual,
        takes graphql-core's path."""
        if self._plain and isinstance(result, list | tuple):
            plan = self._list_plan(return_type, field_details_list)
            if plan is not None:
                try:
                    return cast(list[Any], _complete_nested(plan, result))
                except NotPlain:
                    pass
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _list_plan(
        self, return_type: GraphQLList[GraphQLOutputType], field_details_list: FieldDetailsList
    ) -> NestedField | None:
        key = (return_type, tuple(id(details.node) for details in field_details_list))
        cached = self._plans.lists.get(key)
        if cached is None:
            plan = self._value_plan("", True, return_type, field_details_list)
            # Lists of scalars are cheap on the general path; objects are what it pays for.
            keep = plan if plan is not None and isinstance(plan.items, ObjectPlan) else None
            cached = self._plans.lists[key] = (field_details_list, keep)
        return cached[1]

    def _object_plan(
        self, return_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> ObjectPlan | None:
        key = (return_type, tuple(id(details.node) for details in field_details_list))
        cached = self._plans.objects.get(key)
        if cached is None:
            cached = (field_details_list, self._compile(return_type, field_details_list))
            self._plans.objects[key] = cached
        return cached[1]

    def _compile(
        self, return_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> ObjectPlan | None:
        grouped, defer_usages, _ = self.collect_subfields(return_type, field_details_list)
        if defer_usages:
            return None
        fields: list[tuple[str, LeafPlan | NestedField | TypeName]] = []
        for response_key, details in grouped.items():
            name = details[0].node.name.value
            if name == "__typename":
                fields.append((response_key, TypeName(return_type.name)))
                continue
            field = return_type.fields.get(name)
            if field is None:
                return None
            plan = self._leaf_plans.get((return_type.name, name)) or self._nested(field, details)
            if plan is None:
                return None
            fields.append((response_key, plan))
        return ObjectPlan(tuple(fields))

    def _nested(self, field: GraphQLField, details: FieldDetailsList) -> NestedField | None:
        # A prefetched field is non-null: its attribute's None means "not fetched", which
        # raises NotPlain, and the general path runs the resolver.
        attribute = plain_attribute(field) or prefetched_attribute(field, details)
        if attribute is None:
            return None
        non_null, of_type = _unwrap_non_null(field.type)
        return self._value_plan(attribute, non_null, of_type, details)

    def _value_plan(
        self, attribute: str, non_null: bool, of_type: Any, details: FieldDetailsList
    ) -> NestedField | None:
        is_list = isinstance(of_type, GraphQLList)
        items_non_null, named = _unwrap_non_null(of_type.of_type if is_list else of_type)
        items: ObjectPlan | LeafPlan | None = None
        origin: type | None = None
        if is_leaf_type(named) and is_list:
            items = LeafPlan(
                attribute, output_coercion(named), items_non_null, unchanged_type(named)
            )
        elif isinstance(named, GraphQLObjectType):
            definition = (named.extensions or {}).get(STRAWBERRY_DEFINITION)
            if not isinstance(definition, StrawberryObjectDefinition):
                return None
            if definition.is_type_of is not None or definition.is_graphql_generic:
                return None
            # Strawberry's own check (types with interfaces) accepts an instance of the class.
            origin = definition.origin if named.is_type_of is not None else None
            items = self._object_plan(named, details)
        if items is None:
            return None
        return NestedField(attribute, non_null, is_list, items_non_null, items, origin)


def _unwrap_non_null(output: GraphQLOutputType) -> tuple[bool, Any]:
    if isinstance(output, GraphQLNonNull):
        return True, output.of_type
    return False, output


def complete_object(plan: ObjectPlan, source: Any) -> dict[str, Any]:
    """The completed object, or NotPlain when only the general path may decide it."""
    completed: dict[str, Any] = {}
    for key, field in plan.fields:
        if isinstance(field, LeafPlan):
            value = complete_leaf(field, source)
            if value is Undefined:
                raise NotPlain
            completed[key] = value
        elif isinstance(field, TypeName):
            completed[key] = field.name
        else:
            completed[key] = _complete_nested(field, getattr(source, field.attribute, Undefined))
    return completed


def _complete_nested(field: NestedField, value: Any) -> Any:
    if value is None:
        if field.non_null:
            raise NotPlain
        return None
    if not field.is_list:
        return _complete_item(field, value)
    if not isinstance(value, list | tuple):
        raise NotPlain
    items: list[Any] = []
    for item in value:
        if item is None:
            if field.items_non_null:
                raise NotPlain
            items.append(None)
        else:
            items.append(_complete_item(field, item))
    return items


def _complete_item(field: NestedField, value: Any) -> Any:
    if isinstance(field.items, LeafPlan):
        coerced = _coerced(field.items, value)
        if coerced is Undefined:
            raise NotPlain
        return coerced
    if value is Undefined or isinstance(value, Exception):
        raise NotPlain
    if field.origin is not None and not isinstance(value, field.origin):
        raise NotPlain
    return complete_object(field.items, value)


def complete_leaf(plan: LeafPlan, source: Any) -> Any:
    """The field's completed value, or Undefined when only the general path may decide it.

    That is the case for a missing attribute, a null for a non-null field, an exception as
    the value, and a value the type's coercion refuses: the general path raises the error
    with the field's path and location.
    """
    value = getattr(source, plan.attribute, Undefined)
    if value is None:
        return Undefined if plan.non_null else None
    return _coerced(plan, value)


def _coerced(plan: LeafPlan, value: Any) -> Any:
    """A non-null value coerced by the plan's type, or Undefined when it is missing, an
    exception, or refused."""
    kind = value.__class__
    if kind is plan.unchanged and (
        kind is str
        or kind is bool
        or (kind is float and isfinite(value))
        or (kind is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT)
    ):
        return value
    if value is Undefined or isinstance(value, Exception):
        return Undefined
    try:
        coerced = plan.coerce(value)
    except Exception:
        return Undefined
    return Undefined if coerced is None else coerced
