"""The import rules of graphstore's rooms (graphstore/README.md), read from the source with ast.

``schema/`` and ``resolvers/`` see only the root of ``graphstore/`` (the protocol and its
records); a root module imports neither ``graphstore.engines`` nor ``graphstore.ingest``; and
those two rooms do not import each other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ENGINES = "graphstore.engines"
INGEST = "graphstore.ingest"


def imported_modules(source: str, package: str) -> set[str]:
    """Every module the source's import statements name, in full, wherever they stand (in a
    function, under TYPE_CHECKING): ``from a import b`` names ``a`` and ``a.b`` (``b`` may be a
    module). Relative imports are resolved against ``package``, the module's package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _package_of(path: Path) -> str:
    """The package of a module file: its folder (an ``__init__.py``'s own package)."""
    return ".".join(path.relative_to(REPO).parent.parts)


def forbidden_imports(files: Iterable[Path], forbidden: Iterable[str]) -> list[str]:
    """``file: module`` for each import of a forbidden module or of anything inside it."""
    prefixes = tuple(forbidden)
    return sorted(
        f"{path.relative_to(REPO)}: {module}"
        for path in files
        for module in imported_modules(path.read_text(encoding="utf-8"), _package_of(path))
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)
    )


def _python_files(folder: str, *, recursive: bool = True) -> list[Path]:
    where = REPO / folder
    found = sorted(where.rglob("*.py") if recursive else where.glob("*.py"))
    assert found, f"no Python files in {folder}/"
    return found


@pytest.mark.parametrize("folder", ["schema", "resolvers"])
def test_schema_and_resolvers_import_no_engine_and_no_ingest(folder: str) -> None:
    assert forbidden_imports(_python_files(folder), (ENGINES, INGEST)) == []


def test_graphstore_root_imports_no_engine_and_no_ingest() -> None:
    root = _python_files("graphstore", recursive=False)
    assert forbidden_imports(root, (ENGINES, INGEST)) == []


def test_engines_and_ingest_do_not_import_each_other() -> None:
    assert forbidden_imports(_python_files("graphstore/engines"), (INGEST,)) == []
    assert forbidden_imports(_python_files("graphstore/ingest"), (ENGINES,)) == []


@pytest.mark.parametrize(
    ("statement", "module"),
    [
        ("import graphstore.engines.cypher", "graphstore.engines.cypher"),
        ("import graphstore.ingest as ingest", "graphstore.ingest"),
        ("from graphstore.ingest.importer import import_openalex", "graphstore.ingest.importer"),
        ("from graphstore import engines", "graphstore.engines"),
        ("from graphstore.engines import cypher", "graphstore.engines.cypher"),
        ("from . import ingest", "graphstore.ingest"),
        ("from .engines.writes import Row", "graphstore.engines.writes"),
    ],
)
def test_every_form_of_import_is_seen(statement: str, module: str) -> None:
    source = f"def late() -> None:\n    {statement}\n"
    assert module in imported_modules(source, "graphstore")


def test_relative_imports_resolve_against_the_package() -> None:
    found = imported_modules("from ..ingest import importer", "graphstore.engines")
    assert found == {"graphstore.ingest", "graphstore.ingest.importer"}
