"""The write path: Cypher and the statement plan that upserts a batch of works.

Both engines run the same statements, in order, in one transaction per batch. Values are
always parameters; labels and relationship types are fixed text.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from graphstore.records import WorkRow, WriteSummary

Row = dict[str, Any]
Statement = tuple[str, dict[str, Any]]

WORK_UPDATED_DATES = """
UNWIND $ids AS wid
MATCH (w:Work {id: wid})
RETURN w.id AS id, w.updatedDate AS updatedDate
"""

# Writes of GraphStore.upsert_works, run in this order inside one transaction.
UPSERT_WORKS = """
UNWIND $works AS row
MERGE (w:Work {id: row.id})
SET w.title = row.title, w.type = row.type, w.year = row.year, w.venue = row.venue,
    w.doi = row.doi, w.abstract = row.abstract, w.citedByCount = row.citedByCount,
    w.updatedDate = row.updatedDate, w.authorCount = row.authorCount
"""

DELETE_WORK_AUTHORSHIPS = """
MATCH (:Researcher)-[e:AUTHORED]->(w:Work) WHERE w.id IN $ids DELETE e
"""

DELETE_WORK_TOPICS = """
MATCH (w:Work)-[e:HAS_TOPIC]->(:Topic) WHERE w.id IN $ids DELETE e
"""

DELETE_WORK_CITATIONS = """
MATCH (w:Work)-[e:CITES]->(:Work) WHERE w.id IN $ids DELETE e
"""

UPSERT_RESEARCHERS = """
UNWIND $researchers AS row
MERGE (r:Researcher {id: row.id})
SET r.name = coalesce(r.name, row.name), r.orcid = coalesce(r.orcid, row.orcid)
"""

UPSERT_INSTITUTIONS = """
UNWIND $institutions AS row
MERGE (i:Institution {id: row.id})
SET i.name = coalesce(i.name, row.name), i.ror = coalesce(i.ror, row.ror),
    i.country = coalesce(i.country, row.country), i.type = coalesce(i.type, row.type)
"""

UPSERT_TOPICS = """
UNWIND $topics AS row
MERGE (t:Topic {id: row.id})
SET t.name = row.name, t.level = row.level
"""

# Each endpoint is matched in its own step: a two-node MATCH from UNWIND rows makes
# LadybugDB join all candidate pairs (30x slower on a 5,000-work batch).
LINK_TOPIC_PARENTS = """
UNWIND $links AS row
MATCH (c:Topic {id: row.child})
WITH c, row
MATCH (p:Topic {id: row.parent})
MERGE (c)-[:PART_OF]->(p)
"""

CREATE_AUTHORSHIPS = """
UNWIND $authorships AS row
MATCH (w:Work {id: row.workId})
WITH w, row
MATCH (r:Researcher {id: row.researcherId})
CREATE (r)-[:AUTHORED {position: row.position, institutions: row.institutions}]->(w)
"""

CREATE_WORK_TOPICS = """
UNWIND $links AS row
MATCH (w:Work {id: row.workId})
WITH w, row
MATCH (t:Topic {id: row.topicId})
CREATE (w)-[:HAS_TOPIC {score: row.score}]->(t)
"""

CREATE_CITATIONS = """
UNWIND $links AS row
MATCH (a:Work {id: row.source})
WITH a, row
MATCH (b:Work {id: row.target})
CREATE (a)-[:CITES]->(b)
"""


def work_upsert_plan(works: Sequence[WorkRow]) -> tuple[list[Statement], WriteSummary]:
    """The statements that replace these works, their authorships, topics and citations."""
    ids = [w.id for w in works]
    researchers: dict[str, Row] = {}
    institutions: dict[str, Row] = {}
    topics: dict[str, Row] = {}
    parent_links: set[tuple[str, str]] = set()
    authorships: list[Row] = []
    work_topics: list[Row] = []
    citations: list[Row] = []
    work_rows: list[Row] = []
    for work in works:
        work_rows.append(
            {
                "id": work.id,
                "title": work.title,
                "type": work.type,
                "year": work.year,
                "venue": work.venue,
                "doi": work.doi,
                "abstract": work.abstract,
                "citedByCount": work.cited_by_count,
                "updatedDate": work.updated_date,
                "authorCount": len(work.authorships),
            }
        )
        for authorship in work.authorships:
            researchers.setdefault(
                authorship.researcher_id,
                {
                    "id": authorship.researcher_id,
                    "name": authorship.name,
                    "orcid": authorship.orcid,
                },
            )
            for institution in authorship.institutions:
                institutions.setdefault(
                    institution.id,
                    {
                        "id": institution.id,
                        "name": institution.name,
                        "ror": institution.ror,
                        "country": institution.country,
                        "type": institution.type,
                    },
                )
            authorships.append(
                {
                    "researcherId": authorship.researcher_id,
                    "workId": work.id,
                    "position": authorship.position,
                    "institutions": [i.id for i in authorship.institutions],
                }
            )
        for work_topic in work.topics:
            chain = (work_topic.topic, *work_topic.ancestors)
            for level in chain:
                topics[level.id] = {"id": level.id, "name": level.name, "level": level.level}
            for child, parent in itertools.pairwise(chain):
                parent_links.add((child.id, parent.id))
            work_topics.append(
                {"workId": work.id, "topicId": work_topic.topic.id, "score": work_topic.score}
            )
        citations.extend({"source": work.id, "target": target} for target in work.references)
    statements: list[Statement] = [
        (UPSERT_WORKS, {"works": work_rows}),
        (DELETE_WORK_AUTHORSHIPS, {"ids": ids}),
        (DELETE_WORK_TOPICS, {"ids": ids}),
        (DELETE_WORK_CITATIONS, {"ids": ids}),
    ]
    if researchers:
        statements.append((UPSERT_RESEARCHERS, {"researchers": list(researchers.values())}))
    if institutions:
        statements.append((UPSERT_INSTITUTIONS, {"institutions": list(institutions.values())}))
    if topics:
        statements.append((UPSERT_TOPICS, {"topics": list(topics.values())}))
    if parent_links:
        links = [{"child": c, "parent": p} for c, p in sorted(parent_links)]
        statements.append((LINK_TOPIC_PARENTS, {"links": links}))
    if authorships:
        statements.append((CREATE_AUTHORSHIPS, {"authorships": authorships}))
    if work_topics:
        statements.append((CREATE_WORK_TOPICS, {"links": work_topics}))
    if citations:
        statements.append((CREATE_CITATIONS, {"links": citations}))
    summary = WriteSummary(
        works=len(works),
        authorships=len(authorships),
        researchers=len(researchers),
        topics=len(work_topics),
        citations=len(citations),
    )
    return statements, summary
