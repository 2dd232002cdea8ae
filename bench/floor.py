"""The floor: the profile page's data by hand-written Cypher through the Neo4j async driver.

One round trip fetches exactly what the ProfilePage response holds (researcher, affiliations
with years, the figures behind stats and trust, the top 6 topics, the top 10 collaborators with
at least 2 shared works, the newest 10 works with their authors and the total): aggregates are
computed by Neo4j, not shipped. The little that is left (merging the two affiliation sources,
the trust score from figures already fetched) is arithmetic on a few values.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver, RoutingControl
from subgraph import Neighbourhood, assemble, levels

PROFILE = """
MATCH (r:Researcher {id: $id})
CALL (r) {
  MATCH (r)-[:AUTHORED]->(w:Work)
  WITH coalesce(w.citedByCount, 0) AS cited ORDER BY cited DESC
  WITH collect(cited) AS cites
  RETURN size(cites) AS works, reduce(total = 0, c IN cites | total + c) AS citations,
         size([i IN range(0, size(cites) - 1) WHERE cites[i] >= i + 1]) AS hIndex
}
CALL (r) {
  OPTIONAL MATCH (u:User)-[:FOLLOWS]->(r)
  RETURN count(u) AS followers
}
CALL (r) {
  MATCH (r)-[:AUTHORED]->(w:Work)-[:HAS_TOPIC]->(t:Topic)
  WITH t, count(DISTINCT w) AS shared ORDER BY shared DESC, t.name, t.id
  RETURN count(t) AS topicCount, collect({id: t.id, name: t.name, works: shared})[..6] AS topics
}
CALL (r) {
  MATCH (r)-[:AUTHORED]->(w:Work)
  WITH r, w, CASE WHEN w.authorCount > 1 THEN 1.0 / (w.authorCount - 1) ELSE 1.0 END AS weight
  MATCH (w)<-[:AUTHORED]-(c:Researcher)
  WHERE c <> r
  WITH c, count(w) AS shared, sum(weight) AS strength
  WHERE shared >= 2
  WITH collect([c, shared, strength]) AS close
  CALL (close) {
    UNWIND close AS k
    WITH k[0] AS c, k[1] AS shared, k[2] AS strength
    ORDER BY strength DESC, shared DESC, c.name, c.id
    LIMIT 10
    RETURN collect({id: c.id, name: c.name, sharedWorks: shared, strength: strength})
      AS collaborators
  }
  RETURN size(close) AS closeCollaborators, collaborators
}
CALL (r) {
  MATCH (r)-[e:AUTHORED]->(w:Work)
  UNWIND e.institutions AS iid
  MATCH (i:Institution {id: iid})
  WITH i, collect(DISTINCT w.year) AS years
  RETURN collect({id: i.id, name: i.name, years: years}) AS authorshipAffiliations
}
CALL (r) {
  MATCH (r)-[a:AFFILIATED_WITH]->(i:Institution)
  RETURN collect({id: i.id, name: i.name, years: a.years}) AS recordAffiliations
}
CALL (r) {
  MATCH (r)-[:AUTHORED]->(w:Work)
  WITH w, coalesce(w.year, 0) AS year ORDER BY year DESC
  WITH collect([w, year]) AS byYear
  UNWIND byYear AS k
  WITH k[0] AS w, k[1] AS year, byYear[10][1] AS eleventh
  WHERE eleventh IS NULL OR year >= eleventh
  WITH w ORDER BY year DESC, w.title, w.id LIMIT 11
  CALL (w) {
    MATCH (w)<-[e:AUTHORED]-(a:Researcher)
    WITH a, e ORDER BY e.position, a.id
    RETURN collect({position: e.position, id: a.id, name: a.name}) AS authors
  }
  RETURN collect({id: w.id, title: w.title, type: w.type, year: w.year, venue: w.venue,
                  abstract: w.abstract, authors: authors}) AS page
}
RETURN r.id AS id, r.name AS name, r.orcid AS orcid, r.bio AS bio,
       r.openToCollaborate AS openToCollaborate, r.claimStatus AS claimStatus,
       works, citations, hIndex, followers, topicCount, topics, closeCollaborators,
       collaborators, authorshipAffiliations, recordAffiliations, page
"""


def _affiliations(row: dict[str, Any]) -> list[dict[str, Any]]:
    years: dict[str, set[int]] = {}
    names: dict[str, str] = {}
    for entry in [*row["authorshipAffiliations"], *row["recordAffiliations"]]:
        names[entry["id"]] = entry["name"]
        years.setdefault(entry["id"], set()).update(y for y in entry["years"] or () if y)
    ordered = sorted(years.items(), key=lambda item: (-max(item[1], default=0), names[item[0]]))
    return [{"id": i, "name": names[i], "years": sorted(ys)} for i, ys in ordered]


async def profile(driver: AsyncDriver, researcher_id: str) -> dict[str, Any]:
    """The profile page's data for one researcher, in one query."""
    records, _, _ = await driver.execute_query(
        PROFILE, {"id": researcher_id}, routing_=RoutingControl.READ
    )
    row = records[0].data()
    page = sorted(row["page"], key=lambda w: (-(w["year"] or 0), w["title"] or "", w["id"]))
    row["page"] = page[:10]
    row["hasNextPage"] = len(page) > 10
    row["affiliations"] = _affiliations(row)
    return row


# ---------------------------------------------------------------------------------------------
# The explorer's floor on Neo4j: explore(researcher, depth 1 or 2) in one query

_EXPLORE_LEVEL_ONE = """
MATCH (c:Researcher {id: $id})
CALL (c) {
  MATCH (c)-[e:AUTHORED]->(w:Work)
  RETURN collect([w.id, w.title, w.citedByCount, w.authorCount, e.institutions]) AS works
}
CALL (c) {
  MATCH (c)-[:AFFILIATED_WITH]->(i:Institution)
  RETURN collect([i.id, i.name]) AS affiliated
}
"""
# Every authorship of the centre's works, the centre's own among them (two MATCH clauses: one
# pattern would keep the centre's edge from being walked twice), as aligned lists (collect()
# leaves out nulls, hence the coalesce).
_EXPLORE_AUTHORS = """
CALL (c) {
  MATCH (c)-[:AUTHORED]->(w:Work)
  MATCH (w)<-[e:AUTHORED]-(t:Researcher)
  RETURN collect(w.id) AS authorWorks, collect(t.id) AS authorIds,
         collect(coalesce(t.name, t.id)) AS authorNames,
         collect(coalesce(e.institutions, [])) AS authorInstitutions
}
CALL (c) {
  MATCH (c)-[:AUTHORED]->(w:Work)-[h:HAS_TOPIC]->(t:Topic)
  RETURN collect([w.id, t.id, t.name, h.score]) AS topics
}
CALL (c) {
  MATCH (c)-[:AUTHORED]->(w:Work)-[:CITES]->(v:Work)
  RETURN collect([w.id, v.id, v.title, v.citedByCount]) AS references
}
CALL (c) {
  MATCH (c)-[:AUTHORED]->(w:Work)<-[:CITES]-(v:Work)
  RETURN collect([w.id, v.id, v.title, v.citedByCount]) AS citers
}
CALL (c) {
  MATCH (c)-[:AFFILIATED_WITH]->(i:Institution)<-[:AFFILIATED_WITH]-(t:Researcher)
  RETURN collect([i.id, t.id, t.name]) AS affiliatedResearchers
}
"""
# The institutions the authorships list (AUTHORSHIPS: the centre's, or at depth 2 every one
# of its works'), and the researchers of those the centre's list.
_EXPLORE_LISTED = """
CALL (c) {
  AUTHORSHIPS
  UNWIND e.institutions AS iid
  WITH DISTINCT iid
  MATCH (i:Institution {id: iid})
  RETURN collect([i.id, i.name]) AS institutionNames
}
"""
_CENTRE_AUTHORSHIPS = "MATCH (c)-[e:AUTHORED]->(:Work)"
_WORKS_AUTHORSHIPS = "MATCH (c)-[:AUTHORED]->(w:Work)\n  MATCH (w)<-[e:AUTHORED]-(:Researcher)"
_EXPLORE_LISTED_RESEARCHERS = """
CALL (c) {
  MATCH (c)-[e:AUTHORED]->(:Work)
  UNWIND e.institutions AS iid
  WITH DISTINCT iid
  MATCH (i:Institution {id: iid})<-[:AFFILIATED_WITH]-(t:Researcher)
  RETURN collect([i.id, t.id, t.name]) AS listedResearchers
}
"""


def explore_query(depth: int) -> str:
    """The floor's query for ``explore`` from a researcher: only the hops of ``depth``."""
    query = _EXPLORE_LEVEL_ONE
    columns = ["c.name AS name", "works", "affiliated"]
    if depth > 1:
        query += _EXPLORE_AUTHORS
        columns += [
            "authorWorks",
            "authorIds",
            "authorNames",
            "authorInstitutions",
            "topics",
            "references",
            "citers",
            "affiliatedResearchers",
        ]
    authorships = _WORKS_AUTHORSHIPS if depth > 1 else _CENTRE_AUTHORSHIPS
    query += _EXPLORE_LISTED.replace("AUTHORSHIPS", authorships)
    columns.append("institutionNames")
    if depth > 1:
        query += _EXPLORE_LISTED_RESEARCHERS
        columns.append("listedResearchers")
    return query + "RETURN " + ", ".join(columns)


async def explore(driver: AsyncDriver, center: str, depth: int, limit: int) -> dict[str, Any]:
    """The neighbourhood of a researcher to depth 1 or 2, at most ``limit`` nodes, as the
    LadybugDB floor builds it (bench/subgraph.py), from one query."""
    if depth not in (1, 2):
        raise ValueError("the floor explores to depth 1 or 2")
    records, _, _ = await driver.execute_query(
        explore_query(depth), {"id": center}, routing_=RoutingControl.READ
    )
    if not records:
        raise LookupError(f"no researcher {center}")
    row = records[0]
    found = Neighbourhood(
        name=row["name"] or center,
        works=[tuple(w) for w in row["works"]],
        affiliated=[tuple(i) for i in row["affiliated"]],
        institution_names=dict(row["institutionNames"]),
    )
    if depth > 1:
        found.authors = [
            row["authorWorks"],
            row["authorIds"],
            row["authorNames"],
            row["authorInstitutions"],
        ]
        found.topics = [tuple(t) for t in row["topics"]]
        found.references = [tuple(r) for r in row["references"]]
        found.citers = [tuple(r) for r in row["citers"]]
        # Each level-1 institution's researchers once, whichever way it was reached.
        affiliated = {iid for iid, _ in found.affiliated}
        found.institution_researchers = [tuple(r) for r in row["affiliatedResearchers"]]
        found.institution_researchers += [
            tuple(r) for r in row["listedResearchers"] if r[0] not in affiliated
        ]
    return assemble(center, found.name, limit, depth, levels(center, found, depth))
