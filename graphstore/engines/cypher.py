"""Cypher text that both engines accept, built only from fixed fragments.

Values always travel as parameters; the only text chosen at run time is picked from the
fragments below by enum members, never taken from input.
"""

from __future__ import annotations

from graphstore.ids import NodeLabel
from graphstore.traversal import EdgeKind, Hop

# claimStatus and orcidVerified are kept on the node by the claim mutations, so a researcher
# reads as one node wherever it appears (look-up, co-author, author of a work).
RESEARCHERS_BY_ID = """
UNWIND $ids AS rid
MATCH (r:Researcher {id: rid})
RETURN r.id AS id, r.name AS name, r.orcid AS orcid, r.bio AS bio,
       r.openToCollaborate AS openToCollaborate, r.claimStatus AS claimStatus,
       r.orcidVerified AS orcidVerified
"""

WORKS_BY_ID = """
UNWIND $ids AS wid
MATCH (w:Work {id: wid})
RETURN w.id AS id, w.title AS title, w.type AS type, w.year AS year, w.venue AS venue,
       w.doi AS doi, w.abstract AS abstract, w.citedByCount AS citedByCount
"""


# What a hop returns of its target node: enough to build small records without a look-up.
_TARGET_COLUMNS: dict[NodeLabel, list[str]] = {
    NodeLabel.WORK: ["t.citedByCount AS citations", "t.year AS year", "t.type AS type"],
    NodeLabel.RESEARCHER: [
        "t.orcid AS orcid",
        "t.bio AS bio",
        "t.openToCollaborate AS openToCollaborate",
        "t.claimStatus AS claimStatus",
        "t.orcidVerified AS orcidVerified",
    ],
    NodeLabel.TOPIC: ["t.level AS level"],
    NodeLabel.INSTITUTION: ["t.country AS country", "t.type AS type", "t.ror AS ror"],
}


def neighbours(hop: Hop, *, index_hint: bool = False) -> str:
    """Query returning one row per edge of the hop from the frontier ``$ids``.

    Columns: source, target, name, and where the hop has them: score (HAS_TOPIC), position
    (AUTHORED), authorCount (the work's, on AUTHORED), citations and year (target works).
    ``index_hint`` (Neo4j only) makes the planner start from the frontier's id index: left to
    itself it may start from the other end (334 topics) and filter, 50x slower on a hub.
    """
    spec = hop.spec
    arrow = f"-[e:{spec.edge.value}]->" if spec.forward else f"<-[e:{spec.edge.value}]-"
    columns = ["sid AS source", "t.id AS target"]
    columns.append("t.title AS name" if spec.target is NodeLabel.WORK else "t.name AS name")
    columns += _TARGET_COLUMNS[spec.target]
    if spec.edge is EdgeKind.HAS_TOPIC:
        columns.append("e.score AS score")
    if spec.edge is EdgeKind.AUTHORED:
        work = "t" if spec.target is NodeLabel.WORK else "s"
        columns += [
            "e.position AS position",
            "e.institutions AS institutions",
            f"{work}.authorCount AS authorCount",
        ]
    hint = f" USING INDEX s:{spec.source.value}(id)" if index_hint else ""
    return (
        f"UNWIND $ids AS sid MATCH (s:{spec.source.value} {{id: sid}}){arrow}"
        f"(t:{spec.target.value}){hint} RETURN {', '.join(columns)}"
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
# (one row per institution, with the works' years) and AFFILIATED_WITH edges from OpenAlex
# Author records.
# Both return the institution's properties too, so a profile needs no further look-up.
AUTHORSHIP_AFFILIATIONS = """
UNWIND $ids AS rid
MATCH (:Researcher {id: rid})-[e:AUTHORED]->(w:Work)
UNWIND e.institutions AS iid
MATCH (i:Institution {id: iid})
RETURN rid, i.id AS id, i.name AS name, i.country AS country, i.type AS type, i.ror AS ror,
       collect(DISTINCT w.year) AS years
"""

RECORD_AFFILIATIONS = """
UNWIND $ids AS rid
MATCH (:Researcher {id: rid})-[a:AFFILIATED_WITH]->(i:Institution)
RETURN rid, i.id AS id, i.name AS name, i.country AS country, i.type AS type, i.ror AS ror,
       a.years AS years
"""
