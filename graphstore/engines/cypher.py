"""Cypher that both engines accept, built only from fixed fragments.

Values always travel as parameters; the only text chosen at run time is picked from the
fragments below by enum members, never taken from input.
"""

from __future__ import annotations

from graphstore.engines.query import ReadQuery, columns
from graphstore.ids import NodeLabel
from graphstore.traversal import EdgeKind, Hop

# claimStatus and orcidVerified are kept on the node by the claim mutations, so a researcher
# reads as one node wherever it appears (look-up, co-author, author of a work).
RESEARCHERS_BY_ID = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (r:Researcher {id: rid})
""",
    columns(
        ("r.id", "id"),
        ("r.name", "name"),
        ("r.orcid", "orcid"),
        ("r.bio", "bio"),
        ("r.openToCollaborate", "openToCollaborate"),
        ("r.claimStatus", "claimStatus"),
        ("r.orcidVerified", "orcidVerified"),
    ),
)

WORKS_BY_ID = ReadQuery(
    """
UNWIND $ids AS wid
MATCH (w:Work {id: wid})
""",
    columns(
        ("w.id", "id"),
        ("w.title", "title"),
        ("w.type", "type"),
        ("w.year", "year"),
        ("w.venue", "venue"),
        ("w.doi", "doi"),
        ("w.abstract", "abstract"),
        ("w.citedByCount", "citedByCount"),
    ),
)


# What a hop returns of its target node: enough to build small records without a look-up.
_TARGET_COLUMNS: dict[NodeLabel, list[tuple[str, str]]] = {
    NodeLabel.WORK: [("t.citedByCount", "citations"), ("t.year", "year"), ("t.type", "type")],
    NodeLabel.RESEARCHER: [
        ("t.orcid", "orcid"),
        ("t.bio", "bio"),
        ("t.openToCollaborate", "openToCollaborate"),
        ("t.claimStatus", "claimStatus"),
        ("t.orcidVerified", "orcidVerified"),
    ],
    NodeLabel.TOPIC: [("t.level", "level")],
    NodeLabel.INSTITUTION: [("t.country", "country"), ("t.type", "type"), ("t.ror", "ror")],
}


def neighbours(hop: Hop, *, index_hint: bool = False) -> ReadQuery:
    """Query returning one row per edge of the hop from the frontier ``$ids``.

    Columns: source, target, name, and where the hop has them: score (HAS_TOPIC), position
    (AUTHORED), authorCount (the work's, on AUTHORED), citations and year (target works).
    ``index_hint`` (Neo4j only) makes the planner start from the frontier's id index: left to
    itself it may start from the other end (334 topics) and filter, 50x slower on a hub.
    """
    spec = hop.spec
    arrow = f"-[e:{spec.edge.value}]->" if spec.forward else f"<-[e:{spec.edge.value}]-"
    returned = [("sid", "source"), ("t.id", "target")]
    returned.append(("t.title", "name") if spec.target is NodeLabel.WORK else ("t.name", "name"))
    returned += _TARGET_COLUMNS[spec.target]
    if spec.edge is EdgeKind.HAS_TOPIC:
        returned.append(("e.score", "score"))
    if spec.edge is EdgeKind.AUTHORED:
        work = "t" if spec.target is NodeLabel.WORK else "s"
        returned += [
            ("e.position", "position"),
            ("e.institutions", "institutions"),
            (f"{work}.authorCount", "authorCount"),
        ]
    hint = f" USING INDEX s:{spec.source.value}(id)" if index_hint else ""
    return ReadQuery(
        f"UNWIND $ids AS sid MATCH (s:{spec.source.value} {{id: sid}}){arrow}"
        f"(t:{spec.target.value}){hint}",
        columns(*returned),
    )


TOPICS_BY_ID = ReadQuery(
    """
UNWIND $ids AS tid
MATCH (t:Topic {id: tid})
""",
    columns(("t.id", "id"), ("t.name", "name"), ("t.level", "level")),
)

INSTITUTIONS_BY_ID = ReadQuery(
    """
UNWIND $ids AS iid
MATCH (i:Institution {id: iid})
""",
    columns(
        ("i.id", "id"),
        ("i.name", "name"),
        ("i.country", "country"),
        ("i.type", "type"),
        ("i.ror", "ror"),
    ),
)

FOLLOWER_COUNTS = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (:User)-[:FOLLOWS]->(r:Researcher {id: rid})
""",
    columns("rid", ("count(*)", "n")),
)

# Affiliations come from two places: the institutions listed on a researcher's authorships
# (one row per institution, with the works' years) and AFFILIATED_WITH edges from OpenAlex
# Author records.
# Both return the institution's properties too, so a profile needs no further look-up.
_AFFILIATION_INSTITUTION = columns(
    "rid",
    ("i.id", "id"),
    ("i.name", "name"),
    ("i.country", "country"),
    ("i.type", "type"),
    ("i.ror", "ror"),
)

AUTHORSHIP_AFFILIATIONS = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (:Researcher {id: rid})-[e:AUTHORED]->(w:Work)
UNWIND e.institutions AS iid
MATCH (i:Institution {id: iid})
""",
    (*_AFFILIATION_INSTITUTION, *columns(("collect(DISTINCT w.year)", "years"))),
)

RECORD_AFFILIATIONS = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (:Researcher {id: rid})-[a:AFFILIATED_WITH]->(i:Institution)
""",
    (*_AFFILIATION_INSTITUTION, *columns(("a.years", "years"))),
)
