"""The fast paths answer exactly what graphql-core's general path answers, errors included."""

from __future__ import annotations

import enum
from typing import Any

import pytest
import strawberry
from graphql import ExecutionResult
from strawberry.extensions import ParserCache, SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionResult as StrawberryExecutionResult

from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from resolvers.context import RequestContext
from schema import build_schema
from schema import schema as product_schema
from schema.execution import PREFETCHED, PlainFieldExecutionContext, leaf_plans
from tests.conftest import QUERIES as QUERY_FILES
from tests.conftest import SEED_RESEARCHER, SEED_WORKS


@strawberry.enum
class Band(enum.Enum):
    LOW = "low"
    HIGH = "high"


@strawberry.type
class Pet:
    band: Band
    nicknames: list[str]


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Person(Named):
    note: str | None
    count: int
    tags: list[str | None]
    friend: Person | None
    pets: list[Pet]

    known_buddies: strawberry.Private[list[Pet] | None] = None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field(metadata={PREFETCHED: "known_buddies"})
    def buddies(self) -> list[Pet]:
        ASKED_FOR_BUDDIES.append(self.name)
        if self.known_buddies is not None:
            return self.known_buddies
        return [Pet(band=Band.LOW, nicknames=["looked up"])]


# Whose buddies the resolver was asked for (the fast path reads prefetched ones itself).
ASKED_FOR_BUDDIES: list[str] = []


def _person(**changes: Any) -> Person:
    fields: dict[str, Any] = {
        "name": "p",
        "note": None,
        "count": 3,
        "tags": ["x", None],
        "friend": None,
        "pets": [Pet(band=Band.HIGH, nicknames=["rex"])],
    }
    return Person(**{**fields, **changes})


@strawberry.type
class Query:
    @strawberry.field
    def people(self) -> list[Person]:
        return [
            _person(
                name="a",
                friend=_person(name="f", note="n"),
                tags=("t", "u"),
                known_buddies=[Pet(band=Band.HIGH, nicknames=["known"])],
            ),
            _person(
                name="b",
                pets=[Pet(band=Band.LOW, nicknames=[]), Pet(band=Band.HIGH, nicknames=["z"])],
            ),
        ]

    @strawberry.field
    def broken(self) -> list[Person | None]:
        bad_nicknames = [Pet(band=Band.LOW, nicknames=["ok", None])]  # type: ignore[list-item]
        return [
            _person(name=None),
            _person(count="not a number"),
            _person(count=2**40),
            _person(count=True),
            _person(friend=Pet(band=Band.LOW, nicknames=[])),
            _person(pets=bad_nicknames),
            _person(pets=[Pet(band="purple", nicknames=[])]),  # type: ignore[arg-type]
        ]


PLAIN = "name note count tags pets { band nicknames } friend { name note friend { name } }"
QUERIES: list[tuple[str, dict[str, Any]]] = [
    (f"{{ people {{ {PLAIN} }} }}", {}),
    ("{ people { name shout alias: name friend { n: name shout } } }", {}),
    ("{ people { __typename name friend { __typename name } } }", {}),
    (
        "query($on: Boolean!) { people { name count @skip(if: $on) friend @include(if: $on) "
        "{ name } pets { nicknames @include(if: $on) band } } }",
        {"on": True},
    ),
    (
        "query($on: Boolean!) { people { name count @skip(if: $on) friend @include(if: $on) "
        "{ name } pets { nicknames @include(if: $on) band } } }",
        {"on": False},
    ),
    ("{ people { ...P friend { ...P } } } fragment P on Person { name tags }", {}),
    ("{ people { name buddies { band nicknames } friend { buddies { band } } } }", {}),
    *((f"{{ broken {{ {selection} }} }}", {}) for selection in (PLAIN, "name", "count")),
]


def _outcome(
    result: ExecutionResult | StrawberryExecutionResult,
) -> tuple[Any, list[tuple[str, Any]]]:
    errors = [(error.message, error.path) for error in result.errors or []]
    return result.data, errors


def _schema(context: type[StrawberryGraphQLCoreExecutionContext], *extensions: Any) -> Any:
    return strawberry.Schema(
        query=Query, execution_context_class=context, extensions=list(extensions)
    )


@pytest.mark.parametrize(("query", "variables"), QUERIES)
def test_fast_paths_answer_like_the_general_path(query: str, variables: dict[str, Any]) -> None:
    fast, plain = (
        _schema(PlainFieldExecutionContext),
        _schema(StrawberryGraphQLCoreExecutionContext),
    )
    expected = _outcome(plain.execute_sync(query, variable_values=variables))
    assert _outcome(fast.execute_sync(query, variable_values=variables)) == expected


class Compiling(PlainFieldExecutionContext):
    """Counts the selections compiled into plans."""

    compiled = 0

    def _compile(self, *args: Any, **kwargs: Any) -> Any:
        Compiling.compiled += 1
        return super()._compile(*args, **kwargs)


def test_an_operation_is_planned_once_across_requests() -> None:
    # ParserCache hands every request with the same text the same parsed operation.
    fast = _schema(Compiling, lambda: ParserCache(maxsize=8))
    plain = _schema(StrawberryGraphQLCoreExecutionContext)
    query = QUERIES[0][0]
    expected = _outcome(plain.execute_sync(query))
    Compiling.compiled = 0
    assert _outcome(fast.execute_sync(query)) == expected
    first = Compiling.compiled
    assert first > 0
    assert _outcome(fast.execute_sync(query)) == expected
    assert Compiling.compiled == first


def test_selections_that_take_variables_are_planned_per_request() -> None:
    fast = _schema(Compiling, lambda: ParserCache(maxsize=8))
    plain = _schema(StrawberryGraphQLCoreExecutionContext)
    query = QUERIES[3][0]
    Compiling.compiled = 0
    for on in (True, False, True, False):
        expected = _outcome(plain.execute_sync(query, variable_values={"on": on}))
        assert _outcome(fast.execute_sync(query, variable_values={"on": on})) == expected
    once = Compiling.compiled
    fast.execute_sync(query, variable_values={"on": True})
    assert Compiling.compiled > once


def test_plain_selections_complete_nested_objects_and_lists() -> None:
    data, errors = _outcome(_schema(PlainFieldExecutionContext).execute_sync(QUERIES[0][0]))
    assert errors == []
    first, second = data["people"]
    assert first["friend"] == {"name": "f", "note": "n", "friend": None}
    assert first["tags"] == ["t", "u"]
    assert second["pets"] == [
        {"band": "LOW", "nicknames": []},
        {"band": "HIGH", "nicknames": ["z"]},
    ]


class ItemCounting(PlainFieldExecutionContext):
    """Counts the list items graphql-core completes one by one."""

    items = 0

    def complete_list_item_value(self, *args: Any, **kwargs: Any) -> bool:
        ItemCounting.items += 1
        return super().complete_list_item_value(*args, **kwargs)


def test_a_resolvers_list_of_plain_objects_completes_in_one_pass() -> None:
    ItemCounting.items = 0
    data, errors = _outcome(_schema(ItemCounting).execute_sync("{ people { name tags } }"))
    assert errors == []
    assert data == {
        "people": [{"name": "a", "tags": ["t", "u"]}, {"name": "b", "tags": ["x", None]}]
    }
    assert ItemCounting.items == 0
    # A resolver in the selection (shout) sends the list back to graphql-core, item by item.
    _schema(ItemCounting).execute_sync("{ people { name shout } }")
    assert ItemCounting.items == 2


def test_prefetched_values_are_read_and_the_resolver_runs_for_the_rest() -> None:
    query = "{ people { name buddies { nicknames } } }"
    ASKED_FOR_BUDDIES.clear()
    data, errors = _outcome(_schema(PlainFieldExecutionContext).execute_sync(query))
    assert errors == []
    assert [p["buddies"] for p in data["people"]] == [
        [{"nicknames": ["known"]}],
        [{"nicknames": ["looked up"]}],
    ]
    assert ASKED_FOR_BUDDIES == ["b"]
    ASKED_FOR_BUDDIES.clear()
    _schema(StrawberryGraphQLCoreExecutionContext).execute_sync(query)
    assert ASKED_FOR_BUDDIES == ["a", "b"]


def test_errors_of_the_fast_paths_name_the_field() -> None:
    data, errors = _outcome(_schema(PlainFieldExecutionContext).execute_sync(QUERIES[-3][0]))
    assert data is not None
    # A wrong friend nulls the nullable friend only; the other errors null the person.
    # A boolean count is coerced to 1, as graphql-core coerces it.
    expected_nulls = [True, True, True, False, False, True, True]
    assert [person is None for person in data["broken"]] == expected_nulls
    assert [path for _, path in errors] == [
        ["broken", 0, "name"],
        ["broken", 1, "count"],
        ["broken", 2, "count"],
        ["broken", 4, "friend"],
        ["broken", 5, "pets", 0, "nicknames", 1],
        ["broken", 6, "pets", 0, "band"],
    ]
    assert errors[0][0] == "Cannot return null for non-nullable field Person.name."
    assert "not a number" in errors[1][0]
    assert "non 32-bit" in errors[2][0]
    assert data["broken"][3]["count"] == 1
    assert "Expected value of type 'Person'" in errors[3][0]


def test_resolve_hooks_still_see_every_field() -> None:
    seen: list[str] = []

    class Spy(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    result = _schema(PlainFieldExecutionContext, Spy).execute_sync(
        "{ people { name friend { name } } }"
    )
    assert result.errors is None
    assert seen == ["people", "name", "friend", "name", "name", "friend"]


def test_product_plans_cover_plain_leaves_only() -> None:
    plans = leaf_plans(product_schema._schema)
    assert (plans[("Work", "title")].attribute, plans[("Work", "title")].non_null) == (
        "title",
        True,
    )
    assert (plans[("Work", "year")].attribute, plans[("Work", "year")].non_null) == ("year", False)
    assert ("Researcher", "works") not in plans  # a resolver with arguments
    assert ("Researcher", "trust") not in plans  # an object
    assert not any(type_name.startswith("__") for type_name, _ in plans)


@pytest.mark.parametrize("name", ["profile", "explorer"])
async def test_the_product_queries_answer_alike(store: GraphStore, name: str) -> None:
    await import_openalex(store, [SEED_WORKS])
    query = (QUERY_FILES / f"{name}.graphql").read_text()
    variables = {"id": SEED_RESEARCHER, "center": SEED_RESEARCHER, "depth": 2, "limit": 500}
    outcomes = []
    for context in (PlainFieldExecutionContext, StrawberryGraphQLCoreExecutionContext):
        schema = build_schema()
        schema.execution_context_class = context
        result = await schema.execute(
            query, variable_values=variables, context_value=RequestContext(store=store)
        )
        outcomes.append(_outcome(result))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == []
