"""The write path: Cypher and the statement plans that upsert batches of import rows.

Both engines run the same plans, in order, in one transaction per batch; values are always
parameters and labels and relationship types are fixed text. Where the dialects differ the
plan builders take a ``Dialect``: LadybugDB types an all-null column of an UNWIND list as
STRING, so its statements cast every non-string value to its column's type.

The embedded engine replaces the works plan with a bulk path (COPY from generated files) for
large batches; ``WorkTables`` is the flattening both use.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from graphstore import identifiers
from graphstore.engines.query import ReadQuery, columns
from graphstore.records import (
    AuthorRow,
    InstitutionRow,
    TopicLevelRow,
    TopicRow,
    WorkRow,
    WriteSummary,
)

Row = dict[str, Any]
Statement = tuple[str, dict[str, Any]]
RecordRow = TypeVar("RecordRow", WorkRow, AuthorRow, InstitutionRow, TopicRow)


class Dialect(Enum):
    """The Cypher dialect a plan is written for."""

    NEO4J = "neo4j"
    LADYBUG = "ladybug"

    def typed(self, expression: str, column_type: str) -> str:
        """``expression`` as a value of ``column_type`` (a LadybugDB type name)."""
        if self is Dialect.LADYBUG:
            return f"CAST({expression} AS {column_type})"
        return expression


# Reads that plan a batch. Each endpoint is looked up by primary key from UNWIND rows.
WORK_UPDATED_DATES = ReadQuery(
    """
UNWIND $ids AS wid
MATCH (w:Work {id: wid})
""",
    columns(("w.id", "id"), ("w.updatedDate", "updatedDate")),
)

EXISTING_WORKS = ReadQuery(
    """
UNWIND $ids AS wid
MATCH (w:Work {id: wid})
""",
    columns(("w.id", "id")),
)

PENDING_CITATIONS = ReadQuery(
    """
UNWIND $ids AS wid
MATCH (a:Work)-[:CITES_MISSING]->(:MissingWork {id: wid})
""",
    columns(("a.id", "source"), ("wid", "target")),
)

RESEARCHER_UPDATED_DATES = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (r:Researcher {id: rid})
""",
    columns(("r.id", "id"), ("r.updatedDate", "updatedDate")),
)

INSTITUTION_UPDATED_DATES = ReadQuery(
    """
UNWIND $ids AS iid
MATCH (i:Institution {id: iid})
""",
    columns(("i.id", "id"), ("i.updatedDate", "updatedDate")),
)

TOPIC_UPDATED_DATES = ReadQuery(
    """
UNWIND $ids AS tid
MATCH (t:Topic {id: tid})
""",
    columns(("t.id", "id"), ("t.updatedDate", "updatedDate")),
)

# Writes. A re-issued work loses its authorships, topics and references first.
DELETE_WORK_EDGES = (
    "UNWIND $ids AS wid MATCH (:Researcher)-[e:AUTHORED]->(:Work {id: wid}) DELETE e",
    "UNWIND $ids AS wid MATCH (:Work {id: wid})-[e:HAS_TOPIC]->(:Topic) DELETE e",
    "UNWIND $ids AS wid MATCH (:Work {id: wid})-[e:CITES]->(:Work) DELETE e",
    "UNWIND $ids AS wid MATCH (:Work {id: wid})-[e:CITES_MISSING]->(:MissingWork) DELETE e",
    "UNWIND $ids AS wid MATCH (:Work {id: wid})-[e:FROM_INSTITUTION]->(:Institution) DELETE e",
    "UNWIND $ids AS wid MATCH (:Identifier)-[e:IDENTIFIES]->(:Work {id: wid}) DELETE e",
)

DELETE_MISSING_WORKS = """
UNWIND $ids AS wid
MATCH (m:MissingWork {id: wid})
DETACH DELETE m
"""

# Researchers, institutions and topics named on a work only fill in what the graph lacks:
# their own records (upsert_authors, ...) are the authority.
# The SET clauses are shared with the LadybugDB bulk path, which MATCHes known nodes instead.
FILL_IN_RESEARCHER = (
    "SET r.name = coalesce(r.name, row.name), r.orcid = coalesce(r.orcid, row.orcid)"
)
FILL_IN_INSTITUTION = (
    "SET i.name = coalesce(i.name, row.name), i.ror = coalesce(i.ror, row.ror),\n"
    "    i.country = coalesce(i.country, row.country), i.type = coalesce(i.type, row.type)"
)
FILL_IN_TOPIC = "SET t.name = coalesce(t.name, row.name), t.level = coalesce(t.level, row.level)"

MERGE_RESEARCHERS = f"""
UNWIND $rows AS row
MERGE (r:Researcher {{id: row.id}})
{FILL_IN_RESEARCHER}
"""

MERGE_INSTITUTIONS = f"""
UNWIND $rows AS row
MERGE (i:Institution {{id: row.id}})
{FILL_IN_INSTITUTION}
"""

MERGE_TOPICS = f"""
UNWIND $rows AS row
MERGE (t:Topic {{id: row.id}})
{FILL_IN_TOPIC}
"""

# Each endpoint is matched in its own step: a two-node MATCH from UNWIND rows makes
# LadybugDB join all candidate pairs (30x slower on a 5,000-work batch).
MERGE_TOPIC_PARENTS = """
UNWIND $rows AS row
MATCH (c:Topic {id: row.child})
WITH c, row
MATCH (p:Topic {id: row.parent})
MERGE (c)-[:PART_OF]->(p)
"""

CREATE_CITATIONS = """
UNWIND $rows AS row
MATCH (a:Work {id: row.source})
WITH a, row
MATCH (b:Work {id: row.target})
CREATE (a)-[:CITES]->(b)
"""

MERGE_MISSING_WORKS = """
UNWIND $ids AS wid
MERGE (:MissingWork {id: wid})
"""

CREATE_PENDING_CITATIONS = """
UNWIND $rows AS row
MATCH (a:Work {id: row.source})
WITH a, row
MATCH (m:MissingWork {id: row.target})
CREATE (a)-[:CITES_MISSING]->(m)
"""

DELETE_AFFILIATIONS = """
UNWIND $ids AS rid
MATCH (:Researcher {id: rid})-[e:AFFILIATED_WITH]->(:Institution)
DELETE e
"""

# A Topic record that names its parent replaces the one stored (OpenAlex moved the topic).
DELETE_TOPIC_PARENTS = """
UNWIND $ids AS tid
MATCH (:Topic {id: tid})-[e:PART_OF]->(:Topic)
DELETE e
"""


def upsert_works_statement(dialect: Dialect) -> str:
    """MERGE each work and set every property from its row."""
    t = dialect.typed
    return f"""
UNWIND $rows AS row
MERGE (w:Work {{id: row.id}})
SET w.title = row.title, w.type = row.type, w.year = {t("row.year", "INT64")},
    w.venue = row.venue, w.doi = row.doi, w.abstract = row.abstract,
    w.citedByCount = {t("row.citedByCount", "INT64")}, w.updatedDate = row.updatedDate,
    w.authorCount = {t("row.authorCount", "INT64")},
    w.citationYears = {t("row.citationYears", "INT64[]")},
    w.citationCounts = {t("row.citationCounts", "INT64[]")}
"""


# Identifier nodes (graphstore.identifiers): a work's own DOI and title key (``own``), and the
# DOIs its record names for its locations (not ``own``). A re-issued work has lost its
# IDENTIFIES edges first (DELETE_WORK_EDGES).
def identify_works_statement(dialect: Dialect) -> str:
    """Link each work to its Identifier keys, creating the keys not in the graph."""
    return f"""
UNWIND $rows AS row
MATCH (w:Work {{id: row.node}})
MERGE (i:Identifier {{id: row.key}})
CREATE (i)-[:IDENTIFIES {{own: {dialect.typed("row.own", "BOOLEAN")}}}]->(w)
"""


# A researcher's ORCID, an institution's ROR: the key of the stored value, so only where the
# stored value is the row's (a work's mention only fills in what the graph lacks), and only
# for nodes with no key yet (a record of their own replaces theirs: UNIDENTIFY_ first).
IDENTIFY_RESEARCHERS = """
UNWIND $rows AS row
MATCH (r:Researcher {id: row.node})
WHERE r.orcid = row.value AND NOT EXISTS { MATCH (:Identifier)-[:IDENTIFIES]->(r) }
MERGE (i:Identifier {id: row.key})
MERGE (i)-[:IDENTIFIES {own: true}]->(r)
"""

IDENTIFY_INSTITUTIONS = """
UNWIND $rows AS row
MATCH (n:Institution {id: row.node})
WHERE n.ror = row.value AND NOT EXISTS { MATCH (:Identifier)-[:IDENTIFIES]->(n) }
MERGE (i:Identifier {id: row.key})
MERGE (i)-[:IDENTIFIES {own: true}]->(n)
"""

UNIDENTIFY_RESEARCHERS = """
UNWIND $ids AS rid
MATCH (:Identifier)-[e:IDENTIFIES]->(:Researcher {id: rid})
DELETE e
"""

UNIDENTIFY_INSTITUTIONS = """
UNWIND $ids AS iid
MATCH (:Identifier)-[e:IDENTIFIES]->(:Institution {id: iid})
DELETE e
"""


def create_authorships(
    dialect: Dialect, authorships: Iterable[tuple[str, str, int, list[str]]]
) -> Statement:
    """Create AUTHORED edges from (researcher id, work id, position, institution ids)."""
    t = dialect.typed
    query = f"""
UNWIND $rows AS row
MATCH (w:Work {{id: row.workId}})
WITH w, row
MATCH (r:Researcher {{id: row.researcherId}})
CREATE (r)-[:AUTHORED {{position: {t("row.position", "INT64")},
                        institutions: {t("row.institutions", "STRING[]")}}}]->(w)
"""
    rows = [
        {"researcherId": r, "workId": w, "position": p, "institutions": i}
        for r, w, p, i in authorships
    ]
    return query, {"rows": rows}


def create_work_topics_statement(dialect: Dialect) -> str:
    """Create HAS_TOPIC edges from work and topic ids."""
    return f"""
UNWIND $rows AS row
MATCH (w:Work {{id: row.workId}})
WITH w, row
MATCH (t:Topic {{id: row.topicId}})
CREATE (w)-[:HAS_TOPIC {{score: {dialect.typed("row.score", "DOUBLE")}}}]->(t)
"""


def create_work_institutions_statement(dialect: Dialect) -> str:
    """Create FROM_INSTITUTION edges from work and institution ids, with how many of the
    work's authorships list the institution."""
    return f"""
UNWIND $rows AS row
MATCH (w:Work {{id: row.workId}})
WITH w, row
MATCH (i:Institution {{id: row.institutionId}})
CREATE (w)-[:FROM_INSTITUTION {{authorships: {dialect.typed("row.authorships", "INT64")}}}]->(i)
"""


def _stated(node: str, property_: str, value: str) -> str:
    """``value`` when the row gives one; null when the record gave the field as null
    (``row.cleared``'s flag); else ``node``'s stored value. ``= true``: LadybugDB fails a
    CASE whose condition is a bare boolean parameter (bad_function_call, on 0.22)."""
    return (
        f"CASE WHEN row.cleared.{property_} = true THEN NULL "
        f"ELSE coalesce({value}, {node}.{property_}) END"
    )


def upsert_authors_statement(dialect: Dialect) -> str:
    """Set what Author records say; a property a record leaves out keeps its value, one it
    gives as null is cleared."""
    t = dialect.typed
    return f"""
UNWIND $rows AS row
MERGE (r:Researcher {{id: row.id}})
SET r.name = row.name, r.orcid = {_stated("r", "orcid", "row.orcid")},
    r.nameAlternatives = coalesce({t("row.nameAlternatives", "STRING[]")}, r.nameAlternatives),
    r.worksCount = {_stated("r", "worksCount", t("row.worksCount", "INT64"))},
    r.citedByCount = {_stated("r", "citedByCount", t("row.citedByCount", "INT64"))},
    r.hIndex = {_stated("r", "hIndex", t("row.hIndex", "INT64"))},
    r.i10Index = {_stated("r", "i10Index", t("row.i10Index", "INT64"))},
    r.lastKnownInstitutions = coalesce(
        {t("row.lastKnownInstitutions", "STRING[]")}, r.lastKnownInstitutions),
    r.updatedDate = row.updatedDate
"""


def create_affiliations_statement(dialect: Dialect) -> str:
    """Create AFFILIATED_WITH edges with the years of each affiliation."""
    return f"""
UNWIND $rows AS row
MATCH (r:Researcher {{id: row.researcherId}})
WITH r, row
MATCH (i:Institution {{id: row.institutionId}})
CREATE (r)-[:AFFILIATED_WITH {{years: {dialect.typed("row.years", "INT64[]")}}}]->(i)
"""


UPSERT_INSTITUTIONS = f"""
UNWIND $rows AS row
MERGE (i:Institution {{id: row.id}})
SET i.name = row.name, i.ror = {_stated("i", "ror", "row.ror")},
    i.country = {_stated("i", "country", "row.country")},
    i.type = {_stated("i", "type", "row.type")},
    i.updatedDate = row.updatedDate
"""

UPSERT_TOPIC_RECORDS = """
UNWIND $rows AS row
MERGE (t:Topic {id: row.id})
SET t.name = row.name, t.level = row.level, t.updatedDate = row.updatedDate
"""


# Column orders of WorkTables' tuples; the embedded bulk path writes files in these orders.
WORK_COLUMNS = (
    "id",
    "title",
    "type",
    "year",
    "venue",
    "doi",
    "abstract",
    "citedByCount",
    "updatedDate",
    "authorCount",
    "citationYears",
    "citationCounts",
)
RESEARCHER_COLUMNS = ("id", "name", "orcid")
INSTITUTION_COLUMNS = ("id", "name", "ror", "country", "type")
TOPIC_COLUMNS = ("id", "name", "level")


@dataclass(slots=True)
class WorkTables:
    """A batch of works flattened into table rows (tuples in the column orders above).

    ``references`` are (citing, cited) pairs in record order; which of them become CITES
    edges depends on what the graph holds, so the plans decide that. ``work_institutions``
    counts, for each work and institution, the work's authorships that list the institution
    (FROM_INSTITUTION edges: an institution's works are found from the institution).
    ``work_identifiers`` are (key, work, own) (graphstore.identifiers).
    """

    works: list[tuple[Any, ...]] = field(default_factory=list)
    researchers: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    institutions: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    topics: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    topic_parents: dict[tuple[str, str], None] = field(default_factory=dict)
    authorships: list[tuple[str, str, int, list[str]]] = field(default_factory=list)
    work_topics: list[tuple[str, str, float]] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    work_institutions: dict[tuple[str, str], int] = field(default_factory=dict)
    work_identifiers: list[tuple[str, str, bool]] = field(default_factory=list)


def filled_in(first: tuple[Any, ...], later: tuple[Any, ...]) -> tuple[Any, ...]:
    """A node named twice in a batch: the first mention's values, with what it lacks taken
    from the later one, as the writes' fill-in would take it with one work a batch."""
    return tuple(later[i] if value is None else value for i, value in enumerate(first))


def work_tables(works: Iterable[WorkRow]) -> WorkTables:
    """Flatten works into the rows of each node and edge table they touch. A researcher or
    topic named on several of them keeps its first values, field by field
    (filled_in); institutions come settled that way (ingest.importer._Batch)."""
    tables = WorkTables()
    researchers = tables.researchers
    institutions = tables.institutions
    topics = tables.topics
    for work in works:
        counts = work.counts_by_year
        tables.works.append(
            (
                work.id,
                work.title,
                work.type,
                work.year,
                work.venue,
                work.doi,
                work.abstract,
                work.cited_by_count,
                work.updated_date,
                len(work.authorships),
                [year for year, _ in counts],
                [cited for _, cited in counts],
            )
        )
        tables.work_identifiers.extend(_work_identifiers(work))
        for authorship in work.authorships:
            mention = (authorship.researcher_id, authorship.name, authorship.orcid)
            known = researchers.setdefault(authorship.researcher_id, mention)
            if known is not mention and None in known:
                researchers[authorship.researcher_id] = filled_in(known, mention)
            for institution in authorship.institutions:
                if institution.id not in institutions:
                    institutions[institution.id] = institution_tuple(institution)
                listed = (work.id, institution.id)
                tables.work_institutions[listed] = tables.work_institutions.get(listed, 0) + 1
            tables.authorships.append(
                (
                    authorship.researcher_id,
                    work.id,
                    authorship.position,
                    [i.id for i in authorship.institutions],
                )
            )
        for work_topic in work.topics:
            chain = (work_topic.topic, *work_topic.ancestors)
            for level in chain:
                named = (level.id, level.name, level.level)
                known_topic = topics.setdefault(level.id, named)
                if known_topic is not named and None in known_topic:
                    topics[level.id] = filled_in(known_topic, named)
            for child, parent in itertools.pairwise(chain):
                tables.topic_parents[(child.id, parent.id)] = None
            tables.work_topics.append((work.id, work_topic.topic.id, work_topic.score))
        tables.references.extend((work.id, target) for target in work.references)
    return tables


def _work_identifiers(work: WorkRow) -> list[tuple[str, str, bool]]:
    """(key, work, own) for a work's DOI and title key, and the DOIs its record names."""
    own = [identifiers.doi_key(work.doi), identifiers.title_key(work.title)]
    found = [(key, work.id, True) for key in own if key is not None]
    named = (identifiers.doi_key(doi) for doi in work.named_dois)
    found += [(key, work.id, False) for key in dict.fromkeys(named) if key is not None]
    return found


def researcher_identifiers(researchers: Iterable[tuple[Any, ...]]) -> list[Row]:
    """IDENTIFY_RESEARCHERS rows for researcher tuples (RESEARCHER_COLUMNS) with an ORCID."""
    return _node_identifiers(researchers, RESEARCHER_COLUMNS.index("orcid"), identifiers.orcid_key)


def institution_identifiers(institutions: Iterable[tuple[Any, ...]]) -> list[Row]:
    """IDENTIFY_INSTITUTIONS rows for institution tuples (INSTITUTION_COLUMNS) with a ROR."""
    return _node_identifiers(institutions, INSTITUTION_COLUMNS.index("ror"), identifiers.ror_key)


def _node_identifiers(
    nodes: Iterable[tuple[Any, ...]], column: int, key: Callable[[str | None], str | None]
) -> list[Row]:
    rows = []
    for node in nodes:
        found = key(node[column])
        if found is not None:
            rows.append({"node": node[0], "value": node[column], "key": found})
    return rows


def institution_tuple(institution: InstitutionRow) -> tuple[Any, ...]:
    """An institution as a row in INSTITUTION_COLUMNS order."""
    return (
        institution.id,
        institution.name,
        institution.ror,
        institution.country,
        institution.type,
    )


def latest_versions(rows: Iterable[RecordRow], key: Callable[[RecordRow], str]) -> list[RecordRow]:
    """One row per id: the newest by updated_date, the later one on a tie."""
    latest: dict[str, RecordRow] = {}
    for row in rows:
        row_id = key(row)
        kept = latest.get(row_id)
        if kept is None or row.updated_date >= kept.updated_date:
            latest[row_id] = row
    return list(latest.values())


def fresh_rows(
    rows: Sequence[RecordRow], key: Callable[[RecordRow], str], stored: Sequence[Row]
) -> tuple[list[RecordRow], set[str]]:
    """The rows at least as new as the stored version, and the ids the graph already holds."""
    dates = {r["id"]: r["updatedDate"] or "" for r in stored}
    return [row for row in rows if row.updated_date >= dates.get(key(row), "")], set(dates)


@dataclass(frozen=True, slots=True)
class WorkBatch:
    """A batch of fresh works laid out for writing, and how its ids stand against the graph."""

    tables: WorkTables
    ids: set[str]
    existing: list[str]
    new: list[str]
    referenced_outside: list[str]


def work_batch(fresh: Sequence[WorkRow], stored_ids: set[str]) -> WorkBatch:
    """The tables of ``fresh`` works, which are already stored and which they cite outside."""
    tables = work_tables(fresh)
    ids = {w.id for w in fresh}
    return WorkBatch(
        tables=tables,
        ids=ids,
        existing=[w.id for w in fresh if w.id in stored_ids],
        new=[w.id for w in fresh if w.id not in stored_ids],
        referenced_outside=sorted({t for _, t in tables.references if t not in ids}),
    )


@dataclass(frozen=True, slots=True)
class CitationPlan:
    """How a batch's references land: as CITES edges, or pending until the work arrives."""

    cites: list[tuple[str, str]]
    pending: list[tuple[str, str]]
    linked: list[tuple[str, str]]


def citation_plan(
    tables: WorkTables,
    batch_ids: set[str],
    present: set[str],
    waiting: Sequence[Row],
) -> CitationPlan:
    """Split references by whether the cited work is in the batch or graph (``present``);
    ``waiting`` are earlier pending references to works of this batch, now linked, except
    those from works this batch re-issues (their references are replaced)."""
    cites: list[tuple[str, str]] = []
    pending: list[tuple[str, str]] = []
    for source, target in tables.references:
        if target in batch_ids or target in present:
            cites.append((source, target))
        else:
            pending.append((source, target))
    linked = [(r["source"], r["target"]) for r in waiting if r["source"] not in batch_ids]
    return CitationPlan(cites=cites, pending=pending, linked=linked)


def work_upsert_plan(
    dialect: Dialect,
    tables: WorkTables,
    existing: Sequence[str],
    new: Sequence[str],
    citations: CitationPlan,
) -> tuple[list[Statement], WriteSummary]:
    """The statements that write a batch of fresh works; ``existing`` are re-issued ones."""
    statements: list[Statement] = []
    if existing:
        statements.extend((query, {"ids": list(existing)}) for query in DELETE_WORK_EDGES)
    statements.append(
        (upsert_works_statement(dialect), {"rows": _dicts(WORK_COLUMNS, tables.works)})
    )
    if new:
        statements.append((DELETE_MISSING_WORKS, {"ids": list(new)}))
    if tables.researchers:
        rows = _dicts(RESEARCHER_COLUMNS, tables.researchers.values())
        statements.append((MERGE_RESEARCHERS, {"rows": rows}))
    if tables.institutions:
        rows = _dicts(INSTITUTION_COLUMNS, tables.institutions.values())
        statements.append((MERGE_INSTITUTIONS, {"rows": rows}))
    statements.extend(_topic_statements(tables.topics.values(), tables.topic_parents))
    if tables.authorships:
        statements.append(create_authorships(dialect, tables.authorships))
    if tables.work_topics:
        rows = [{"workId": w, "topicId": t, "score": s} for w, t, s in tables.work_topics]
        statements.append((create_work_topics_statement(dialect), {"rows": rows}))
    if tables.work_institutions:
        rows = [
            {"workId": w, "institutionId": i, "authorships": n}
            for (w, i), n in tables.work_institutions.items()
        ]
        statements.append((create_work_institutions_statement(dialect), {"rows": rows}))
    cites = citations.cites + citations.linked
    if cites:
        rows = [{"source": s, "target": t} for s, t in cites]
        statements.append((CREATE_CITATIONS, {"rows": rows}))
    if citations.pending:
        targets = list(dict.fromkeys(t for _, t in citations.pending))
        rows = [{"source": s, "target": t} for s, t in citations.pending]
        statements.append((MERGE_MISSING_WORKS, {"ids": targets}))
        statements.append((CREATE_PENDING_CITATIONS, {"rows": rows}))
    statements.extend(identify_statements(dialect, tables))
    return statements, works_summary(tables, citations)


def identify_statements(dialect: Dialect, tables: WorkTables) -> list[Statement]:
    """The statements that link a batch's works, and the researchers and institutions they
    name, to their Identifier keys: after every node of the batch is written."""
    statements: list[Statement] = []
    if tables.work_identifiers:
        rows = [{"key": k, "node": w, "own": own} for k, w, own in tables.work_identifiers]
        statements.append((identify_works_statement(dialect), {"rows": rows}))
    researchers = researcher_identifiers(tables.researchers.values())
    if researchers:
        statements.append((IDENTIFY_RESEARCHERS, {"rows": researchers}))
    institutions = institution_identifiers(tables.institutions.values())
    if institutions:
        statements.append((IDENTIFY_INSTITUTIONS, {"rows": institutions}))
    return statements


def works_summary(tables: WorkTables, citations: CitationPlan) -> WriteSummary:
    """What writing these tables adds up to."""
    return WriteSummary(
        works=len(tables.works),
        authorships=len(tables.authorships),
        researchers=len(tables.researchers),
        topics=len(tables.work_topics),
        citations=len(citations.cites) + len(citations.linked),
        pending_references=len(citations.pending),
        linked_references=len(citations.linked),
    )


def _topic_statements(
    topics: Iterable[tuple[Any, ...]], parents: Iterable[tuple[str, str]]
) -> list[Statement]:
    statements: list[Statement] = []
    rows = _dicts(TOPIC_COLUMNS, topics)
    if rows:
        statements.append((MERGE_TOPICS, {"rows": rows}))
    links = [{"child": c, "parent": p} for c, p in parents]
    if links:
        statements.append((MERGE_TOPIC_PARENTS, {"rows": links}))
    return statements


# The scalar fields an Author record may clear, and their property names.
_AUTHOR_FIELDS = {
    "orcid": "orcid",
    "works_count": "worksCount",
    "cited_by_count": "citedByCount",
    "h_index": "hIndex",
    "i10_index": "i10Index",
}


def author_upsert_plan(
    dialect: Dialect, authors: Sequence[AuthorRow]
) -> tuple[list[Statement], WriteSummary]:
    """The statements that write fresh Author records, their affiliations and institutions."""
    institutions: dict[str, tuple[Any, ...]] = {}
    affiliations: list[Row] = []
    rows: list[Row] = []
    replaced: list[str] = []
    for author in authors:
        last_known = None
        if author.last_known_institutions is not None:
            last_known = [i.id for i in author.last_known_institutions]
            for institution in author.last_known_institutions:
                institutions.setdefault(institution.id, institution_tuple(institution))
        if author.affiliations is not None:
            replaced.append(author.id)
            for affiliation in author.affiliations:
                institution = affiliation.institution
                institutions.setdefault(institution.id, institution_tuple(institution))
                affiliations.append(
                    {
                        "researcherId": author.id,
                        "institutionId": institution.id,
                        "years": list(affiliation.years),
                    }
                )
        alternatives = author.name_alternatives
        rows.append(
            {
                "id": author.id,
                "name": author.name,
                "orcid": author.orcid,
                "nameAlternatives": None if alternatives is None else list(alternatives),
                "worksCount": author.works_count,
                "citedByCount": author.cited_by_count,
                "hIndex": author.h_index,
                "i10Index": author.i10_index,
                "lastKnownInstitutions": last_known,
                "updatedDate": author.updated_date,
                "cleared": {
                    name: field in author.stated_null for field, name in _AUTHOR_FIELDS.items()
                },
            }
        )
    statements: list[Statement] = [(upsert_authors_statement(dialect), {"rows": rows})]
    if institutions:
        statements.append(
            (MERGE_INSTITUTIONS, {"rows": _dicts(INSTITUTION_COLUMNS, institutions.values())})
        )
    if replaced:
        statements.append((DELETE_AFFILIATIONS, {"ids": replaced}))
    if affiliations:
        statements.append((create_affiliations_statement(dialect), {"rows": affiliations}))
    # A record stating its ORCID (or none) replaces the researcher's key.
    stating = [a for a in authors if a.orcid is not None or "orcid" in a.stated_null]
    if stating:
        statements.append((UNIDENTIFY_RESEARCHERS, {"ids": [a.id for a in stating]}))
        keyed = researcher_identifiers((a.id, a.name, a.orcid) for a in stating)
        if keyed:
            statements.append((IDENTIFY_RESEARCHERS, {"rows": keyed}))
    named = institution_identifiers(institutions.values())
    if named:
        statements.append((IDENTIFY_INSTITUTIONS, {"rows": named}))
    return statements, WriteSummary(authors=len(authors), affiliations=len(affiliations))


def institution_upsert_plan(
    institutions: Sequence[InstitutionRow],
) -> tuple[list[Statement], WriteSummary]:
    """The statement that writes fresh Institution records."""
    rows = [
        {
            "id": i.id,
            "name": i.name,
            "ror": i.ror,
            "country": i.country,
            "type": i.type,
            "updatedDate": i.updated_date,
            "cleared": {name: name in i.stated_null for name in ("ror", "country", "type")},
        }
        for i in institutions
    ]
    statements: list[Statement] = [(UPSERT_INSTITUTIONS, {"rows": rows})]
    # A record stating its ROR (or none) replaces the institution's key.
    stating = [i for i in institutions if i.ror is not None or "ror" in i.stated_null]
    if stating:
        statements.append((UNIDENTIFY_INSTITUTIONS, {"ids": [i.id for i in stating]}))
        keyed = institution_identifiers(institution_tuple(i) for i in stating)
        if keyed:
            statements.append((IDENTIFY_INSTITUTIONS, {"rows": keyed}))
    return statements, WriteSummary(institutions=len(rows))


def topic_upsert_plan(topics: Sequence[TopicRow]) -> tuple[list[Statement], WriteSummary]:
    """The statements that write fresh Topic (and hierarchy level) records."""
    records = [
        {
            "id": t.topic.id,
            "name": t.topic.name,
            "level": t.topic.level,
            "updatedDate": t.updated_date,
        }
        for t in topics
    ]
    ancestors: dict[str, tuple[Any, ...]] = {}
    parents: dict[tuple[str, str], None] = {}
    for topic in topics:
        chain: tuple[TopicLevelRow, ...] = (topic.topic, *topic.ancestors)
        for level in topic.ancestors:
            ancestors.setdefault(level.id, (level.id, level.name, level.level))
        for child, parent in itertools.pairwise(chain):
            parents[(child.id, parent.id)] = None
    statements: list[Statement] = [(UPSERT_TOPIC_RECORDS, {"rows": records})]
    reparented = [t.topic.id for t in topics if t.ancestors]
    if reparented:
        statements.append((DELETE_TOPIC_PARENTS, {"ids": reparented}))
    statements.extend(_topic_statements(ancestors.values(), parents))
    return statements, WriteSummary(topic_records=len(records))


def _dicts(columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> list[Row]:
    return [dict(zip(columns, row, strict=True)) for row in rows]
