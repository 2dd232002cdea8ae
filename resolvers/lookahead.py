"""Look-ahead: what a researcher field's selection will load, so that it is one store call.

A profile page asks for a researcher and, under it, fields that each load something: the
summary behind stats, trust, affiliations, topics and collaborators, and a page of works.
Loaded level by level that is three store calls (the researcher, then the other two); read
from the selection before the researcher is loaded, it is one (GraphStore.profile_read), and
the fields find what they need in the request's loaders.

The plan only predicts. A field it does not foresee, or whose arguments fail their checks,
loads as it always does, and reports its own errors: the results are the fields' own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values

from graphstore.records import SummaryOptions, WorkOrder, WorkPageRequest
from resolvers.loaders import ProfilePlan
from resolvers.profile import FIGURES, collaborators_summary, topics_summary
from resolvers.works import page_request, work_filter

# Fields of Researcher that read the figures' summary without arguments of their own.
_FIGURE_FIELDS = frozenset({"stats", "trust", "affiliations"})


def profile_plan(info: GraphQLResolveInfo[Any], researcher_id: str) -> ProfilePlan:
    """What the selection of the researcher field being resolved will load."""
    summaries: list[SummaryOptions] = []
    works: dict[str, list[tuple[FieldNode, dict[str, Any]]]] = {}
    for node, arguments in _selected_fields(info):
        name = node.name.value
        try:
            if name in _FIGURE_FIELDS:
                summaries.append(FIGURES)
            elif name == "topics":
                summaries.append(topics_summary(arguments["first"]))
            elif name == "collaborators":
                summaries.append(
                    collaborators_summary(arguments["first"], arguments["minSharedWorks"])
                )
            elif name == "works":
                # Fields of one response key are merged into one, which sees all their nodes.
                key = node.alias.value if node.alias else name
                works.setdefault(key, []).append((node, arguments))
        except GraphQLError:
            continue
    pages: list[WorkPageRequest] = []
    for merged in works.values():
        names_only = page_author_names_only(info.fragments, [node for node, _ in merged])
        try:
            page = _works_page(researcher_id, merged[0][1], names_only)
        except GraphQLError:
            continue
        if page is not None:
            pages.append(page)
    # One summary is fetched ahead (the first asked); a field asking another loads its own.
    summary = summaries[0] if summaries else None
    return ProfilePlan(researcher_id, summary, tuple(dict.fromkeys(pages)))


# What a page's authorships may be asked for when the store reads only their ids, names and
# positions: a profile page's authors. A page's other fields need nothing more of them.
_NAMES_ONLY_AUTHORSHIP = frozenset({"position", "researcher", "__typename"})
_NAMES_ONLY_RESEARCHER = frozenset({"id", "name", "__typename"})


def page_author_names_only(
    fragments: Mapping[str, FragmentDefinitionNode], works_fields: Sequence[FieldNode]
) -> bool:
    """Whether the selections of a works field read no more of its works' authors than ids,
    names and positions (WorkPageRequest.author_names_only).

    Every selection counts, fragments whatever their type condition and fields whatever their
    @skip or @include: the answer may only err towards reading the authors in full.
    """
    connection = list(_subfields(fragments, works_fields))
    works = [field for field in connection if field.name.value == "nodes"]
    edges = [field for field in connection if field.name.value == "edges"]
    works += [field for field in _subfields(fragments, edges) if field.name.value == "node"]
    authors = [field for field in _subfields(fragments, works) if field.name.value == "authors"]
    for field in _subfields(fragments, authors):
        if field.name.value not in _NAMES_ONLY_AUTHORSHIP:
            return False
        if field.name.value == "researcher" and any(
            inner.name.value not in _NAMES_ONLY_RESEARCHER
            for inner in _subfields(fragments, [field])
        ):
            return False
    return True


def _subfields(
    fragments: Mapping[str, FragmentDefinitionNode], fields: Iterable[FieldNode]
) -> Iterator[FieldNode]:
    """The fields selected under ``fields``, through every fragment."""
    for field in fields:
        if field.selection_set is not None:
            yield from _fields_of(fragments, field.selection_set)


def _fields_of(
    fragments: Mapping[str, FragmentDefinitionNode], selection_set: SelectionSetNode
) -> Iterator[FieldNode]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields_of(fragments, selection.selection_set)
        elif isinstance(selection, FragmentSpreadNode):
            # Validation has refused unknown fragments and cycles before execution.
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields_of(fragments, fragment.selection_set)


# Filter fields that send a researcher's works to the analysts' lists (resolvers.lists),
# whose pages are not a profile's: their fields load them.
_LIST_FILTERS = ("topic", "institution", "researcher", "venue")


def _works_page(
    researcher_id: str, arguments: Mapping[str, Any], author_names_only: bool
) -> WorkPageRequest | None:
    given = arguments["filter"] or {}
    if any(given.get(name) is not None for name in _LIST_FILTERS):
        return None
    return page_request(
        researcher_id,
        arguments["first"],
        arguments["after"],
        # graphql-core gives the schema's enum member; the store's order has the same values.
        WorkOrder(arguments["orderBy"].value),
        work_filter(given.get("yearFrom"), given.get("yearTo"), given.get("types")),
        author_names_only=author_names_only,
    )


def _selected_fields(
    info: GraphQLResolveInfo[Any],
) -> Iterator[tuple[FieldNode, dict[str, Any]]]:
    """Each field selected on the resolved field's object type (through fragments, @skip and
    @include applied), with its arguments as graphql-core will coerce them (defaults filled)."""
    object_type = get_named_type(info.return_type)
    if not isinstance(object_type, GraphQLObjectType):
        return
    variables = info.variable_values
    if not isinstance(variables, VariableValues):
        # Strawberry's executor hands resolvers the coerced dict; graphql-core's helpers read
        # its container.
        variables = VariableValues(sources={}, coerced=dict(variables))
    for node in info.field_nodes:
        if node.selection_set is not None:
            yield from _fields_in(info, variables, object_type, node.selection_set)


def _fields_in(
    info: GraphQLResolveInfo[Any],
    variables: VariableValues,
    object_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
) -> Iterator[tuple[FieldNode, dict[str, Any]]]:
    for selection in selection_set.selections:
        if not _included(variables, selection):
            continue
        if isinstance(selection, FieldNode):
            field = object_type.fields.get(selection.name.value)
            if field is not None:
                try:
                    arguments = get_argument_values(field, selection, variables)
                except GraphQLError:
                    continue
                yield selection, arguments
            continue
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            inner: SelectionSetNode | None = selection.selection_set
        elif isinstance(selection, FragmentSpreadNode):
            fragment = info.fragments.get(selection.name.value)
            if fragment is None:
                continue
            condition, inner = fragment.type_condition, fragment.selection_set
        else:
            continue
        if inner is not None and (condition is None or condition.name.value == object_type.name):
            yield from _fields_in(info, variables, object_type, inner)


def _included(variables: VariableValues, node: Any) -> bool:
    skip = get_directive_values(GraphQLSkipDirective, node, variables)
    if skip is not None and skip.get("if") is True:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables)
    return include is None or include.get("if") is True
