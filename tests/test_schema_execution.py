"""The leaf fast path answers exactly what graphql-core's general path answers, errors included."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from graphql import ExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema import schema as product_schema
from schema.execution import LeafFastPathExecutionContext, leaf_plans


@strawberry.enum
class Band(enum.Enum):
    LOW = "low"
    HIGH = "high"


@strawberry.type
class Item:
    name: str
    note: str | None
    band: Band
    count: int
    missing_name: str
    wrong_count: int
    tags: list[str]

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        good = Item(
            name="a",
            note=None,
            band=Band.HIGH,
            count=3,
            missing_name="m",
            wrong_count=1,
            tags=["x"],
        )
        broken = Item(
            name="b",
            note="n",
            band=Band.LOW,
            count=4,
            missing_name=None,  # type: ignore[arg-type]
            wrong_count="not a number",  # type: ignore[arg-type]
            tags=["y"],
        )
        return [good, broken]


QUERIES = [
    "{ items { name note band count tags shout alias: name } }",
    "{ items { name missingName } }",
    "{ items { name wrongCount } }",
    "{ items { __typename name } }",
]


def _outcome(result: ExecutionResult) -> tuple[Any, list[tuple[str, Any]]]:
    errors = [(error.message, error.path) for error in result.errors or []]
    return result.data, errors


def _schema(context: type[StrawberryGraphQLCoreExecutionContext], *extensions: Any) -> Any:
    return strawberry.Schema(
        query=Query, execution_context_class=context, extensions=list(extensions)
    )


def test_fast_path_answers_like_the_general_path() -> None:
    fast, plain = (
        _schema(LeafFastPathExecutionContext),
        _schema(StrawberryGraphQLCoreExecutionContext),
    )
    for query in QUERIES:
        assert _outcome(fast.execute_sync(query)) == _outcome(plain.execute_sync(query)), query
    data, errors = _outcome(fast.execute_sync(QUERIES[0]))
    assert data == {
        "items": [
            {
                "name": "a",
                "note": None,
                "band": "HIGH",
                "count": 3,
                "tags": ["x"],
                "shout": "A",
                "alias": "a",
            },
            {
                "name": "b",
                "note": "n",
                "band": "LOW",
                "count": 4,
                "tags": ["y"],
                "shout": "B",
                "alias": "b",
            },
        ]
    }
    assert errors == []


def test_errors_of_the_fast_path_name_the_field() -> None:
    fast = _schema(LeafFastPathExecutionContext)
    _, null_errors = _outcome(fast.execute_sync(QUERIES[1]))
    assert null_errors == [
        ("Cannot return null for non-nullable field Item.missingName.", ["items", 1, "missingName"])
    ]
    _, type_errors = _outcome(fast.execute_sync(QUERIES[2]))
    assert [path for _, path in type_errors] == [["items", 1, "wrongCount"]]
    assert "not a number" in type_errors[0][0]


def test_resolve_hooks_still_see_every_field() -> None:
    seen: list[str] = []

    class Spy(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    result = _schema(LeafFastPathExecutionContext, Spy).execute_sync("{ items { name count } }")
    assert result.errors is None
    assert seen == ["items", "name", "count", "name", "count"]


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
