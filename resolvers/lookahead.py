"""Look-ahead: what a researcher field's selection will load, so that it is one store call.

A profile page asks for a researcher and, under it, fields that each load something: the
summary behind stats, trust, affiliations, topics and collaborators, and a page of works.
Loaded level by level that is three store calls (the researcher, then the other two); read
from the selection before the researcher is loaded, it is one (GraphStore.profile_read), and
the fields find what they need in the request's loaders.

The selection is read through Strawberry's ``Info.selected_fields``: fragments spread,
directives and variables resolved, arguments as given (a literal as its text, a variable as
its coerced value). The plan only predicts. A field it does not foresee, or whose arguments
fail their checks, loads as it always does, and reports its own errors: the results are the
fields' own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from graphql import GraphQLError
from strawberry.schema.base import BaseSchema
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from graphstore.records import SummaryOptions, WorkOrder, WorkPageRequest
from resolvers.loaders import ProfilePlan
from resolvers.profile import FIGURES, collaborators_summary, topics_summary
from resolvers.works import page_request, work_filter

Selection = SelectedField | FragmentSpread | InlineFragment

# Fields of Researcher that read the figures' summary without arguments of their own.
_FIGURE_FIELDS = frozenset({"stats", "trust", "affiliations"})
_RESEARCHER = "Researcher"


def profile_plan(info: Info[Any, Any], researcher_id: str) -> ProfilePlan:
    """What the selection of the researcher field being resolved will load."""
    summaries: list[SummaryOptions] = []
    works: dict[str, list[SelectedField]] = {}
    for field in _fields_of(_selections(info.selected_fields), _RESEARCHER):
        try:
            arguments = _arguments(info, field)
            if field.name in _FIGURE_FIELDS:
                summaries.append(FIGURES)
            elif field.name == "topics":
                summaries.append(topics_summary(_int(arguments["first"])))
            elif field.name == "collaborators":
                summaries.append(
                    collaborators_summary(
                        _int(arguments["first"]), _int(arguments["minSharedWorks"])
                    )
                )
            elif field.name == "works" and not arguments.get("groupVersions"):
                # Fields of one response key are merged into one, which sees all their nodes.
                # A list grouping versions loads apart (GraphStore.hop_work_pages).
                works.setdefault(field.alias or field.name, []).append(field)
        except (GraphQLError, ValueError, TypeError, KeyError):
            continue
    pages: list[WorkPageRequest] = []
    for merged in works.values():
        try:
            arguments = _arguments(info, merged[0])
            page = _works_page(
                researcher_id,
                arguments,
                page_author_names_only(merged),
                page_author_limit(merged),
            )
        except (GraphQLError, ValueError, TypeError, KeyError):
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


def page_author_names_only(works_fields: Sequence[Selection]) -> bool:
    """Whether the selections of a works field read no more of its works' authors than ids,
    names and positions (WorkPageRequest.author_names_only).

    Every selection counts, fragments whatever their type condition and fields whatever their
    @skip or @include: the answer may only err towards reading the authors in full.
    """
    for field in _subfields(_authors_fields(works_fields)):
        if field.name not in _NAMES_ONLY_AUTHORSHIP:
            return False
        if field.name == "researcher" and any(
            inner.name not in _NAMES_ONLY_RESEARCHER for inner in _subfields([field])
        ):
            return False
    return True


def page_author_limit(works_fields: Sequence[Selection]) -> int | None:
    """How many of each work's first authors the selections of a works field read
    (WorkPageRequest.author_limit): the largest ``authors(first:)``, 0 when no selection
    asks for authors, None (all) when one asks without ``first`` or with a value the field
    will refuse. Every selection counts, as in page_author_names_only."""
    limit = 0
    for field in _authors_fields(works_fields):
        first = field.arguments.get("first")
        try:
            given = None if first is None else _int(first)
        except (TypeError, ValueError):
            return None
        if given is None or given < 0:
            return None
        limit = max(limit, given)
    return limit


def _authors_fields(works_fields: Sequence[Selection]) -> list[SelectedField]:
    """The ``authors`` fields under a works connection's nodes and edges' nodes."""
    connection = list(_subfields(works_fields))
    works = [field for field in connection if field.name == "nodes"]
    edges = [field for field in connection if field.name == "edges"]
    works += [field for field in _subfields(edges) if field.name == "node"]
    return [field for field in _subfields(works) if field.name == "authors"]


def _subfields(fields: Iterable[Selection]) -> Iterator[SelectedField]:
    """Every field directly under ``fields``, through fragments of any type condition."""
    for field in fields:
        yield from _flattened(field.selections)


def _flattened(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _flattened(selection.selections)


def _selections(fields: Iterable[Selection]) -> Iterator[Selection]:
    """The selections under the resolved field (its occurrences merged), @skip and @include
    applied."""
    for field in fields:
        yield from (selection for selection in field.selections if _included(selection))


def _fields_of(selections: Iterable[Selection], type_name: str) -> Iterator[SelectedField]:
    """The fields selected on the object type ``type_name``, through the fragments that
    apply to it, @skip and @include applied."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif selection.type_condition in (None, type_name):
            inner = (s for s in selection.selections if _included(s))
            yield from _fields_of(inner, type_name)


def _included(selection: Selection) -> bool:
    if selection.directives.get("skip", {}).get("if") is True:
        return False
    include = selection.directives.get("include")
    return include is None or include.get("if") is True


def _arguments(info: Info[Any, Any], field: SelectedField) -> dict[str, Any]:
    """The field's arguments by GraphQL name, the schema's defaults filled in."""
    given = field.arguments
    return {
        name: given.get(name, default)
        for name, default in _researcher_arguments(info.schema)[field.name]
    }


@functools.lru_cache(maxsize=4)
def _researcher_arguments(schema: BaseSchema) -> dict[str, tuple[tuple[str, Any], ...]]:
    """Each Researcher field's arguments (GraphQL name, default) by the field's GraphQL name,
    read once per schema: Schema.get_field_for_type converts every field's name to find one."""
    definition = schema.get_type_by_name(_RESEARCHER)
    if not isinstance(definition, StrawberryObjectDefinition):
        raise TypeError(f"{_RESEARCHER} is not an object type")
    names = schema.config.name_converter
    return {
        names.get_graphql_name(field): tuple(
            (names.get_graphql_name(argument), argument.default) for argument in field.arguments
        )
        for field in definition.fields
    }


def _int(value: Any) -> int:
    """An Int argument: a literal comes as its text, a variable as its coerced value."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(value)
    return int(value)


def _optional_int(value: Any) -> int | None:
    return None if value is None else _int(value)


# Filter fields that send a researcher's works to the analysts' lists (resolvers.lists),
# whose pages are not a profile's: their fields load them.
_LIST_FILTERS = ("topic", "institution", "researcher", "venue")


def _works_page(
    researcher_id: str,
    arguments: Mapping[str, Any],
    author_names_only: bool,
    author_limit: int | None,
) -> WorkPageRequest | None:
    given = arguments["filter"] or {}
    if any(given.get(name) is not None for name in _LIST_FILTERS):
        return None
    types = given.get("types")
    # An enum comes as its name (a literal) or as the schema's member (a variable, a
    # default); the store's order has the same values.
    order = arguments["orderBy"]
    return page_request(
        researcher_id,
        _int(arguments["first"]),
        arguments["after"],
        WorkOrder(getattr(order, "value", order)),
        work_filter(
            _optional_int(given.get("yearFrom")),
            _optional_int(given.get("yearTo")),
            None if types is None else [str(t) for t in types],
        ),
        author_names_only=author_names_only,
        author_limit=author_limit,
    )
