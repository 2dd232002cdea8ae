"""Cypher text that both engines accept, built only from fixed fragments.

Values always travel as parameters; the only text chosen at run time is picked from the
fragments below by enum members, never taken from input.
"""

from __future__ import annotations

from typing import Any

from graphstore.ids import NodeLabel
from graphstore.records import WorkFilterSpec, WorkKey, WorkOrder
from graphstore.traversal import EdgeKind, Hop

# Each order: the sort key expression and whether it sorts descending. Ties: title, then id.
_ORDER_KEY: dict[WorkOrder, tuple[str, bool]] = {
    WorkOrder.NEWEST: ("coalesce(w.year, 0)", True),
    WorkOrder.OLDEST: ("coalesce(w.year, 9999)", False),
    WorkOrder.MOST_CITED: ("coalesce(w.citedByCount, 0)", True),
}

RESEARCHERS_BY_ID = """
UNWIND $ids AS rid
MATCH (r:Researcher {id: rid})
OPTIONAL MATCH (u:User)-[c:CLAIMED]->(r)
RETURN r.id AS id, r.name AS name, r.orcid AS orcid, r.bio AS bio,
       r.openToCollaborate AS openToCollaborate,
       collect(c.status) AS claims,
       collect(CASE WHEN c.status = 'CLAIMED' AND u.orcidVerified AND u.orcid = r.orcid
               THEN 1 ELSE 0 END) AS verifiedOrcidClaims
"""

WORKS_BY_ID = """
UNWIND $ids AS wid
MATCH (w:Work {id: wid})
RETURN w.id AS id, w.title AS title, w.type AS type, w.year AS year, w.venue AS venue,
       w.doi AS doi, w.abstract AS abstract, w.citedByCount AS citedByCount
"""


def _filter_clauses(work_filter: WorkFilterSpec, params: dict[str, Any]) -> list[str]:
    clauses: list[str] = []
    if work_filter.year_from is not None:
        clauses.append("w.year >= $yearFrom")
        params["yearFrom"] = work_filter.year_from
    if work_filter.year_to is not None:
        clauses.append("w.year <= $yearTo")
        params["yearTo"] = work_filter.year_to
    if work_filter.types is not None:
        clauses.append("w.type IN $types")
        params["types"] = list(work_filter.types)
    return clauses


def researcher_work_keys(
    order: WorkOrder, work_filter: WorkFilterSpec, after: WorkKey | None
) -> tuple[str, dict[str, Any]]:
    """Query returning (rid, sortValue, title, id) rows of researchers' works in page order.

    The caller adds ``ids`` to the parameters and keeps the first rows of each researcher.
    """
    key_expr, descending = _ORDER_KEY[order]
    params: dict[str, Any] = {}
    clauses = _filter_clauses(work_filter, params)
    if after is not None:
        before_or_after = "<" if descending else ">"
        clauses.append(
            f"(k {before_or_after} $afterKey OR (k = $afterKey AND "
            "(coalesce(w.title, '') > $afterTitle OR "
            "(coalesce(w.title, '') = $afterTitle AND w.id > $afterId))))"
        )
        params.update(afterKey=after.sort_value, afterTitle=after.title, afterId=after.id)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    direction = "DESC" if descending else "ASC"
    query = f"""
UNWIND $ids AS rid
MATCH (:Researcher {{id: rid}})-[:AUTHORED]->(w:Work)
WITH rid, w, {key_expr} AS k
{where}
RETURN rid, k, coalesce(w.title, '') AS title, w.id AS id
ORDER BY rid, k {direction}, title, id
"""
    return query, params


def researcher_work_counts(work_filter: WorkFilterSpec) -> tuple[str, dict[str, Any]]:
    """Query returning (rid, n): how many works of each researcher pass the filter."""
    params: dict[str, Any] = {}
    clauses = _filter_clauses(work_filter, params)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    query = f"""
UNWIND $ids AS rid
MATCH (:Researcher {{id: rid}})-[:AUTHORED]->(w:Work)
{where}
RETURN rid, count(w) AS n
"""
    return query, params


def neighbours(hop: Hop) -> str:
    """Query returning one row per edge of the hop from the frontier ``$ids``.

    Columns: source, target, name, and where the hop has them: score (HAS_TOPIC), position
    (AUTHORED), authorCount (the work's, on AUTHORED), citations and year (target works).
    """
    spec = hop.spec
    arrow = f"-[e:{spec.edge.value}]->" if spec.forward else f"<-[e:{spec.edge.value}]-"
    columns = ["sid AS source", "t.id AS target"]
    columns.append("t.title AS name" if spec.target is NodeLabel.WORK else "t.name AS name")
    if spec.target is NodeLabel.WORK:
        columns += ["t.citedByCount AS citations", "t.year AS year"]
    if spec.edge is EdgeKind.HAS_TOPIC:
        columns.append("e.score AS score")
    if spec.edge is EdgeKind.AUTHORED:
        work = "t" if spec.target is NodeLabel.WORK else "s"
        columns += [
            "e.position AS position",
            "e.institutions AS institutions",
            f"{work}.authorCount AS authorCount",
        ]
    return (
        f"UNWIND $ids AS sid MATCH (s:{spec.source.value} {{id: sid}}){arrow}"
        f"(t:{spec.target.value}) RETURN {', '.join(columns)}"
    )


TOPICS_BY_ID = """
UNWIND $ids AS tid
MATCH (t:Topic {id: tid})
RETURN t.id AS id, t.name AS name, t.level AS level
"""

INSTITUTIONS_BY_ID = """
UNWIND $ids AS iid
MATCH (i:Institution {id: iid})
RETURN i.id AS id, i.name AS name, i.country AS country, i.type AS type, i.ror AS ror
"""

FOLLOWER_COUNTS = """
UNWIND $ids AS rid
MATCH (:User)-[:FOLLOWS]->(r:Researcher {id: rid})
RETURN rid, count(*) AS n
"""

# Affiliations come from two places: the institutions listed on a researcher's authorships
# (with the works' years) and AFFILIATED_WITH edges from OpenAlex Author records.
AUTHORSHIP_AFFILIATIONS = """
UNWIND $ids AS rid
MATCH (:Researcher {id: rid})-[e:AUTHORED]->(w:Work)
UNWIND e.institutions AS iid
RETURN rid, iid, w.year AS year
"""

RECORD_AFFILIATIONS = """
UNWIND $ids AS rid
MATCH (:Researcher {id: rid})-[a:AFFILIATED_WITH]->(i:Institution)
RETURN rid, i.id AS iid, a.years AS years
"""
