"""A first load of an empty Neo4j: the graph an import of the rows writes, as neo4j-admin
CSV files, and what the database needs once it runs on them.

``bulk_graph`` lays the rows out the way the write path does with the whole input as one
batch into an empty graph (the importer's graph does not depend on its batch size): the
records of institutions and topics first, then the newest version of each work through
``writes.work_tables`` and ``writes.citation_plan`` (nodes a work names fill in what the
graph lacks, ``writes.filled_in``), Identifier keys from the same rows and rules as
``writes.identify_statements``, and every searchable node's search properties from the same
documents, in the same order, as the engine's text search receives them
(``text_search.neo4j_search_properties``). Author records are not in the files: they are
written after the load through ``Neo4jStore.upsert_authors`` (``after_bulk_load``), as the
importer writes a batch's Author records after its works.

neo4j-admin cannot hold an empty list: an empty list property (a work's citation years, an
authorship's institutions) is left out of the files and set after the load.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphstore.engines import writes
from graphstore.engines.cypher_store import topic_documents
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.engines.text_search import (
    SearchDocument,
    documents_for_works,
    neo4j_search_properties,
)
from graphstore.ids import NodeLabel
from graphstore.records import AuthorRow, InstitutionRow, TopicRow, WorkRow, WriteSummary

__all__ = [
    "ARRAY_DELIMITER",
    "BulkGraph",
    "ImportFile",
    "after_bulk_load",
    "bulk_graph",
    "write_import_files",
]

ARRAY_DELIMITER = "\x1f"
"""Between a list's values in the files (``--array-delimiter``): a character no name holds."""

# neo4j-admin's header types of the properties that are not strings, by property name.
_TYPES = {
    "year": "long",
    "citedByCount": "long",
    "authorCount": "long",
    "citationYears": "long[]",
    "citationCounts": "long[]",
    "searchLength": "long",
    "position": "long",
    "institutions": "string[]",
    "score": "double",
    "authorships": "long",
    "own": "boolean",
}
_SEARCH_COLUMNS = tuple(neo4j_search_properties(SearchDocument("", "work", "")))
_UPDATED = "updatedDate"

# What neo4j-admin cannot write (an empty list), set after the load; each batches itself.
_EMPTY_LISTS = (
    "MATCH (w:Work) WHERE w.citationYears IS NULL "
    "CALL (w) { SET w.citationYears = [], w.citationCounts = [] } IN TRANSACTIONS OF 20000 ROWS",
    "MATCH ()-[e:AUTHORED]->() WHERE e.institutions IS NULL "
    "CALL (e) { SET e.institutions = [] } IN TRANSACTIONS OF 20000 ROWS",
)
_AWAIT_INDEXES = "CALL db.awaitIndexes(3600)"
# Author records per transaction after the load (the importer's Neo4j batch size).
_AUTHOR_BATCH = 5_000


@dataclass(slots=True)
class BulkGraph:
    """Every node and edge of the graph the rows make, in the write path's column orders."""

    works: list[tuple[Any, ...]] = field(default_factory=list)
    researchers: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    institutions: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    institution_dates: dict[str, str] = field(default_factory=dict)
    topics: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    topic_dates: dict[str, str] = field(default_factory=dict)
    topic_parents: dict[tuple[str, str], None] = field(default_factory=dict)
    authorships: list[tuple[str, str, int, list[str]]] = field(default_factory=list)
    work_topics: list[tuple[str, str, float]] = field(default_factory=list)
    work_institutions: dict[tuple[str, str], int] = field(default_factory=dict)
    cites: list[tuple[str, str]] = field(default_factory=list)
    pending: list[tuple[str, str]] = field(default_factory=list)
    # (key, label of the node it identifies, node id, own)
    identifies: list[tuple[str, NodeLabel, str, bool]] = field(default_factory=list)
    identified: set[str] = field(default_factory=set)
    documents: dict[str, SearchDocument] = field(default_factory=dict)
    summary: WriteSummary = field(default_factory=WriteSummary)

    def add_documents(self, docs: Iterable[SearchDocument]) -> None:
        """Keep ``docs``, each replacing the node's document unless it only fills in one
        the node has (SearchDocument.fills_in), as the transactional writes do."""
        for doc in docs:
            if not (doc.fills_in and doc.id in self.documents):
                self.documents[doc.id] = doc


def bulk_graph(
    institutions: Sequence[InstitutionRow],
    topics: Sequence[TopicRow],
    works: Sequence[WorkRow],
) -> BulkGraph:
    """The graph an import of these rows writes into an empty graph (Author records aside),
    in the order the importer writes a batch: institutions, topics, works."""
    graph = BulkGraph()
    latest_institutions = writes.latest_versions(institutions, lambda i: i.id)
    latest_topics = writes.latest_versions(topics, lambda t: t.topic.id)
    latest_works = writes.latest_versions(works, lambda w: w.id)
    _add_institution_records(graph, latest_institutions)
    _add_topic_records(graph, latest_topics)
    _add_works(graph, latest_works)
    older = len(institutions) + len(topics) + len(works)
    older -= len(latest_institutions) + len(latest_topics) + len(latest_works)
    graph.summary += WriteSummary(skipped_older=older)
    return graph


def _add_institution_records(graph: BulkGraph, records: Sequence[InstitutionRow]) -> None:
    for record in records:
        graph.institutions[record.id] = writes.institution_tuple(record)
        graph.institution_dates[record.id] = record.updated_date
    _identify(graph, NodeLabel.INSTITUTION, graph.institutions, "ror", writes.INSTITUTION_COLUMNS)
    graph.add_documents(SearchDocument(i.id, "institution", i.name) for i in records)
    graph.summary += WriteSummary(institutions=len(records))


def _add_topic_records(graph: BulkGraph, records: Sequence[TopicRow]) -> None:
    for record in records:
        level = record.topic
        graph.topics[level.id] = (level.id, level.name, level.level)
        graph.topic_dates[level.id] = record.updated_date
    for record in records:
        for level in record.ancestors:
            graph.topics.setdefault(level.id, (level.id, level.name, level.level))
        for child, parent in itertools.pairwise((record.topic, *record.ancestors)):
            graph.topic_parents[(child.id, parent.id)] = None
    graph.add_documents(topic_documents(records))
    graph.summary += WriteSummary(topic_records=len(records))


def _add_works(graph: BulkGraph, works: Sequence[WorkRow]) -> None:
    tables = writes.work_tables(works)
    ids = {w.id for w in works}
    citations = writes.citation_plan(tables, ids, set(), [])
    graph.works = tables.works
    graph.researchers = tables.researchers
    _fill_in(graph.institutions, tables.institutions)
    _fill_in(graph.topics, tables.topics)
    graph.topic_parents.update(tables.topic_parents)
    graph.authorships = tables.authorships
    graph.work_topics = tables.work_topics
    graph.work_institutions = tables.work_institutions
    graph.cites = citations.cites
    graph.pending = citations.pending
    graph.identifies.extend(
        (key, NodeLabel.WORK, work, own) for key, work, own in tables.work_identifiers
    )
    _identify(graph, NodeLabel.RESEARCHER, tables.researchers, "orcid", writes.RESEARCHER_COLUMNS)
    _identify(graph, NodeLabel.INSTITUTION, tables.institutions, "ror", writes.INSTITUTION_COLUMNS)
    graph.add_documents(documents_for_works(works))
    graph.summary += writes.works_summary(tables, citations)


def _fill_in(stored: dict[str, tuple[Any, ...]], named: dict[str, tuple[Any, ...]]) -> None:
    """Nodes a batch's works name, merged into the graph's: they fill in what it lacks."""
    for node_id, mention in named.items():
        known = stored.get(node_id)
        stored[node_id] = mention if known is None else writes.filled_in(known, mention)


def _identify(
    graph: BulkGraph,
    label: NodeLabel,
    named: dict[str, tuple[Any, ...]],
    column: str,
    columns: tuple[str, ...],
) -> None:
    """IDENTIFY_RESEARCHERS / IDENTIFY_INSTITUTIONS: a named node gets the key of its value
    where the stored value is the one named, unless it has a key already."""
    stored = graph.researchers if label is NodeLabel.RESEARCHER else graph.institutions
    index = columns.index(column)
    rows = (
        writes.researcher_identifiers(named.values())
        if label is NodeLabel.RESEARCHER
        else writes.institution_identifiers(named.values())
    )
    for row in rows:
        node = row["node"]
        if stored[node][index] == row["value"] and node not in graph.identified:
            graph.identified.add(node)
            graph.identifies.append((row["key"], label, node, True))


@dataclass(frozen=True, slots=True)
class ImportFile:
    """One CSV file for neo4j-admin: ``nodes`` of a label or ``relationships`` of a type."""

    kind: str
    name: str
    path: Path
    rows: int
    multiline: bool

    def argument(self) -> str:
        """neo4j-admin's option for the file, e.g. ``--nodes=Work=/tmp/x/Work.csv``."""
        return f"--{self.kind}={self.name}={self.path}"


def write_import_files(graph: BulkGraph, folder: Path) -> list[ImportFile]:
    """Write the graph as neo4j-admin CSV files (``--array-delimiter`` ARRAY_DELIMITER, ids
    by label as ID groups) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    docs = graph.documents
    files = [
        _write(
            folder,
            "nodes",
            NodeLabel.WORK.value,
            _node_header("Work", writes.WORK_COLUMNS, _SEARCH_COLUMNS),
            (_with_search(row, docs) for row in graph.works),
        ),
        _write(
            folder,
            "nodes",
            NodeLabel.RESEARCHER.value,
            _node_header("Researcher", writes.RESEARCHER_COLUMNS, _SEARCH_COLUMNS),
            (_with_search(row, docs) for row in graph.researchers.values()),
        ),
        _write(
            folder,
            "nodes",
            NodeLabel.INSTITUTION.value,
            _node_header("Institution", writes.INSTITUTION_COLUMNS, (_UPDATED, *_SEARCH_COLUMNS)),
            (
                _with_search((*row, graph.institution_dates.get(row[0])), docs)
                for row in graph.institutions.values()
            ),
        ),
        _write(
            folder,
            "nodes",
            NodeLabel.TOPIC.value,
            _node_header("Topic", writes.TOPIC_COLUMNS, (_UPDATED, *_SEARCH_COLUMNS)),
            (
                _with_search((*row, graph.topic_dates.get(row[0])), docs)
                for row in graph.topics.values()
            ),
        ),
        _write(
            folder,
            "nodes",
            "MissingWork",
            ["id:ID(MissingWork)"],
            ((target,) for target in dict.fromkeys(t for _, t in graph.pending)),
        ),
        _write(
            folder,
            "nodes",
            "Identifier",
            ["id:ID(Identifier)"],
            ((key,) for key in dict.fromkeys(k for k, _, _, _ in graph.identifies)),
        ),
        _write(
            folder,
            "relationships",
            "AUTHORED",
            _edge_header("Researcher", "Work", ("position", "institutions")),
            graph.authorships,
        ),
        _write(
            folder,
            "relationships",
            "HAS_TOPIC",
            _edge_header("Work", "Topic", ("score",)),
            graph.work_topics,
        ),
        _write(
            folder,
            "relationships",
            "FROM_INSTITUTION",
            _edge_header("Work", "Institution", ("authorships",)),
            ((w, i, n) for (w, i), n in graph.work_institutions.items()),
        ),
        _write(folder, "relationships", "CITES", _edge_header("Work", "Work", ()), graph.cites),
        _write(
            folder,
            "relationships",
            "CITES_MISSING",
            _edge_header("Work", "MissingWork", ()),
            graph.pending,
        ),
        _write(
            folder,
            "relationships",
            "PART_OF",
            _edge_header("Topic", "Topic", ()),
            graph.topic_parents,
        ),
    ]
    for label in (NodeLabel.WORK, NodeLabel.RESEARCHER, NodeLabel.INSTITUTION):
        files.append(
            _write(
                folder,
                "relationships",
                "IDENTIFIES",
                _edge_header("Identifier", label.value, ("own",)),
                ((k, n, own) for k, to, n, own in graph.identifies if to is label),
                stem=f"IDENTIFIES-{label.value}",
            )
        )
    return [f for f in files if f.rows]


def _node_header(label: str, columns: Sequence[str], more: Sequence[str]) -> list[str]:
    return [f"id:ID({label})", *(_typed(c) for c in (*columns[1:], *more))]


def _edge_header(source: str, target: str, properties: Sequence[str]) -> list[str]:
    return [f":START_ID({source})", f":END_ID({target})", *(_typed(p) for p in properties)]


def _typed(column: str) -> str:
    kind = _TYPES.get(column)
    return column if kind is None else f"{column}:{kind}"


def _with_search(row: tuple[Any, ...], docs: dict[str, SearchDocument]) -> tuple[Any, ...]:
    doc = docs.get(row[0])
    if doc is None:
        return (*row, *(None for _ in _SEARCH_COLUMNS))
    return (*row, *neo4j_search_properties(doc).values())


def _write(
    folder: Path,
    kind: str,
    name: str,
    header: list[str],
    rows: Iterable[Sequence[Any]],
    *,
    stem: str | None = None,
) -> ImportFile:
    path = folder / f"{stem or name}.csv"
    count = 0
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for lines in _batched((",".join(map(_cell, row)) for row in rows), 10_000):
            text = "\n".join(lines)
            count += len(lines)
            multiline = multiline or "\r" in text or text.count("\n") != len(lines) - 1
            out.write(text + "\n")
    return ImportFile(kind, name, path, count, multiline)


def _batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _cell(value: Any) -> str:
    """A value as neo4j-admin reads it: nothing for null (and for an empty list, which it
    cannot hold), a string quoted (so an empty string stays one), a list's values between
    ARRAY_DELIMITER."""
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        if not value:
            return ""
        text = ARRAY_DELIMITER.join(map(str, value))
        return '"' + text.replace('"', '""') + '"'
    raise TypeError(f"no CSV form for {type(value).__name__}")


async def after_bulk_load(
    store: Neo4jStore,
    authors: Sequence[AuthorRow],
    *,
    done: Callable[[str], None] | None = None,
    figures_progress: Callable[[int, int], None] | None = None,
) -> WriteSummary:
    """Make a freshly bulk-loaded database what an import leaves: the schema, constraints and
    indexes the store applies at start (waited for until online), the empty lists the files
    could not hold, the Author records, written as the importer writes them, then every
    researcher's stored figures (graphstore.engines.figures), as an import writes them.

    The one place for whatever else a first load must derive once the graph is whole.
    ``done`` is told each step's name as it ends (the bulk load times them);
    ``figures_progress`` how many researchers' figures are written so far, of how many.
    """
    finished = done or (lambda _: None)
    await store.apply_schema()
    await store.run_self_batching(_AWAIT_INDEXES)
    finished("schema and indexes")
    for statement in _EMPTY_LISTS:
        await store.run_self_batching(statement)
    finished("empty lists")
    written = WriteSummary()
    for start in range(0, len(authors), _AUTHOR_BATCH):
        written += await store.upsert_authors(authors[start : start + _AUTHOR_BATCH])
    finished("Author records")
    await store.refresh_stale_figures(figures_progress)
    finished("researchers' figures")
    return written
