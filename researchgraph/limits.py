"""Refuses expensive GraphQL documents before any of their work reaches the store.

Checked on the parsed document, with the request's variables, before execution: token count,
selection depth, aliases and an estimated cost. The cost of a field is 1 plus its children's
cost times how many objects it may return. A list field returns as many as its ``first`` says,
or as its parent's size argument says (a connection's ``first``, a subgraph's ``limit`` size the
``nodes`` and ``edges`` lists below them), or ``LIST_GUESS``. So nested pages multiply, as they
do in the database.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.language import Lexer, Source, TokenKind

LIST_GUESS = 10
_ABSENT = object()
_COMPOSITE = (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """How much one request may ask for."""

    max_tokens: int = 5000
    max_depth: int = 12
    max_aliases: int = 30
    max_cost: int = 50_000
    # Size arguments anywhere in a document: page sizes, explorer limits and depths.
    argument_bounds: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: {"first": (0, 100), "limit": (1, 2000), "depth": (1, 3)}
    )


class LimitExceededError(Exception):
    """A request over one of the limits; ``code`` goes to ``extensions.code``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def check_tokens(query: str, max_tokens: int) -> None:
    """Count the document's tokens without parsing it (syntax errors are the parser's job)."""
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
            if count > max_tokens:
                raise LimitExceededError(
                    f"the document has more than {max_tokens} tokens", "TOO_MANY_TOKENS"
                )
    except LimitExceededError:
        raise
    except Exception:
        return


def check_document(
    document: DocumentNode,
    schema: GraphQLSchema,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    limits: QueryLimits,
) -> dict[str, Any]:
    """Raise LimitExceededError when the operation to run is too deep, aliased or costly.

    Returns the variables the check read (name: value): with the same document and operation,
    other values of those alone can change its outcome (PassedDocuments)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    read: dict[str, Any] = {}
    for operation in operations:
        if (
            operation_name is not None
            and (operation.name and operation.name.value) != operation_name
        ):
            continue
        walker = _Walker(schema, fragments, variables or {}, limits)
        root = schema.get_root_type(operation.operation)
        if root is None:
            continue
        cost = walker.selection_cost(
            operation.selection_set, root, depth=1, seen=frozenset(), list_size=LIST_GUESS
        )
        if walker.aliases > limits.max_aliases:
            raise LimitExceededError(
                f"the document uses {walker.aliases} aliases; at most {limits.max_aliases}",
                "TOO_MANY_ALIASES",
            )
        if cost > limits.max_cost:
            raise LimitExceededError(
                f"the estimated cost {cost} is over the budget of {limits.max_cost}; "
                "ask for smaller pages or less nesting",
                "QUERY_TOO_COSTLY",
            )
        read |= walker.read
    return read


class PassedDocuments:
    """The documents that passed check_document, so that a request repeating one (a page's
    query with another researcher's id) is not walked again.

    Kept by query text and operation name, with the values of the variables the check read;
    at most ``maxsize`` documents, the least recently passed forgotten first.
    """

    def __init__(self, maxsize: int = 512, assignments: int = 8) -> None:
        self._maxsize = maxsize
        self._assignments = assignments
        self._passed: OrderedDict[tuple[str, str | None], list[dict[str, Any]]] = OrderedDict()

    def check(
        self,
        query: str,
        document: DocumentNode,
        schema: GraphQLSchema,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        limits: QueryLimits,
    ) -> None:
        """check_document, unless this document passed with the same values of what it read."""
        key = (query, operation_name)
        given = variables or {}
        passed = self._passed.get(key)
        if passed is not None:
            self._passed.move_to_end(key)
            if any(_same_values(read, given) for read in passed):
                return
        read = check_document(document, schema, variables, operation_name, limits)
        if passed is None:
            passed = self._passed[key] = []
            if len(self._passed) > self._maxsize:
                self._passed.popitem(last=False)
        passed.append(read)
        del passed[: -self._assignments]


def _same_values(read: Mapping[str, Any], variables: Mapping[str, Any]) -> bool:
    return all(variables.get(name, _ABSENT) == value for name, value in read.items())


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        limits: QueryLimits,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.aliases = 0
        # The variables read, with the value read (_ABSENT for one not given).
        self.read: dict[str, Any] = {}

    def selection_cost(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType,
        depth: int,
        seen: frozenset[str],
        list_size: int,
    ) -> int:
        if depth > self.limits.max_depth:
            raise LimitExceededError(
                f"the document is nested deeper than {self.limits.max_depth} levels",
                "QUERY_TOO_DEEP",
            )
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost += self._field_cost(selection, parent, depth, seen, list_size)
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    self.schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                if isinstance(
                    condition, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
                ):
                    cost += self.selection_cost(
                        selection.selection_set, condition, depth, seen, list_size
                    )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue  # unknown or cyclic fragments are the validator's to report
                condition = self.schema.get_type(fragment.type_condition.name.value)
                if isinstance(
                    condition, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
                ):
                    cost += self.selection_cost(
                        fragment.selection_set, condition, depth, seen | {name}, list_size
                    )
        return cost

    def _field_cost(
        self,
        node: FieldNode,
        parent: GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType,
        depth: int,
        seen: frozenset[str],
        list_size: int,
    ) -> int:
        if node.alias is not None:
            self.aliases += 1
        if node.selection_set is None:
            return 1
        definition = _field(parent, node.name.value)
        if definition is None:
            return 1  # an unknown field: the validator reports it
        target = get_named_type(definition.type)
        if not isinstance(target, _COMPOSITE):
            return 1
        self._argument(node, definition, "depth")
        limit = self._argument(node, definition, "limit")
        first = self._argument(node, definition, "first")
        size = limit if limit is not None else first
        field_type = (
            definition.type.of_type
            if isinstance(definition.type, GraphQLNonNull)
            else definition.type
        )
        if isinstance(field_type, GraphQLList):
            # A list field: its own size argument, or the size its parent set, multiplies.
            children = self.selection_cost(node.selection_set, target, depth + 1, seen, LIST_GUESS)
            return 1 + (size if size is not None else list_size) * children
        # An object field (a connection, a subgraph): its size argument sizes the lists below.
        children = self.selection_cost(
            node.selection_set, target, depth + 1, seen, size if size is not None else LIST_GUESS
        )
        return 1 + children

    def _argument(self, node: FieldNode, definition: GraphQLField, name: str) -> int | None:
        """The value of a size argument (given, from a variable, or its default), in bounds."""
        if name not in definition.args:
            return None
        value: Any = definition.args[name].default_value
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                variable = argument.value.name.value
                self.read[variable] = self.variables.get(variable, _ABSENT)
                value = self.variables.get(variable, value)
        if not isinstance(value, int) or isinstance(value, bool):
            return LIST_GUESS
        bound = self.limits.argument_bounds.get(name)
        if bound is not None and not bound[0] <= value <= bound[1]:
            raise LimitExceededError(
                f"{name}: must be between {bound[0]} and {bound[1]}, got {value}",
                "BAD_USER_INPUT",
            )
        return max(value, 1)


def _field(
    parent: GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType, name: str
) -> GraphQLField | None:
    if isinstance(parent, GraphQLUnionType):
        return None
    field: GraphQLField | None = parent.fields.get(name)
    return field
