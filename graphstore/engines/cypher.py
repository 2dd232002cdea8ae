"""Cypher that both engines accept, built only from fixed fragments.

Values always travel as parameters; the only text chosen at run time is picked from the
fragments below by enum members, never taken from input.
"""

from __future__ import annotations

from graphstore.engines.query import Column, FromIds, ReadQuery, columns
from graphstore.identifiers import SCHEME_LABELS
from graphstore.ids import NodeLabel


def look_up(label: NodeLabel, node: str, returns: tuple[Column, ...]) -> FromIds:
    """The ``label`` nodes with the given ids, as ``node``, returning ``returns``."""
    return FromIds(
        each=ReadQuery(
            f"UNWIND $ids AS {node}_id\nMATCH ({node}:{label.value} {{id: {node}_id}})", returns
        ),
        one=ReadQuery(f"MATCH ({node}:{label.value} {{id: $id}})", returns),
    )


# claimStatus and orcidVerified are kept on the node by the claim mutations, so a researcher
# reads as one node wherever it appears (look-up, co-author, author of a work).
RESEARCHER_COLUMNS = columns(
    ("r.id", "id"),
    ("r.name", "name"),
    ("r.orcid", "orcid"),
    ("r.bio", "bio"),
    ("r.openToCollaborate", "openToCollaborate"),
    ("r.claimStatus", "claimStatus"),
    ("r.orcidVerified", "orcidVerified"),
)
"""A researcher ``r`` as a record is built from it (cypher_store.researcher_from_row)."""
RESEARCHERS_BY_ID = look_up(NodeLabel.RESEARCHER, "r", RESEARCHER_COLUMNS)

WORK_COLUMNS = columns(
    ("w.id", "id"),
    ("w.title", "title"),
    ("w.type", "type"),
    ("w.year", "year"),
    ("w.venue", "venue"),
    ("w.doi", "doi"),
    ("w.abstract", "abstract"),
    ("w.citedByCount", "citedByCount"),
    ("w.authorCount", "authorCount"),
)
"""A work ``w`` as a record is built from it (cypher_store.work_from_row)."""
WORKS_BY_ID = look_up(NodeLabel.WORK, "w", WORK_COLUMNS)


TOPICS_BY_ID = look_up(
    NodeLabel.TOPIC,
    "t",
    columns(("t.id", "id"), ("t.name", "name"), ("t.level", "level")),
)

INSTITUTIONS_BY_ID = look_up(
    NodeLabel.INSTITUTION,
    "i",
    columns(
        ("i.id", "id"),
        ("i.name", "name"),
        ("i.country", "country"),
        ("i.type", "type"),
        ("i.ror", "ror"),
    ),
)

# The researchers first, then their followers: LadybugDB scans every FOLLOWS edge when the
# frontier is joined to the pattern (graphstore.engines.compiler).
FOLLOWER_COUNTS = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (r:Researcher {id: rid})
OPTIONAL MATCH (u:User)-[:FOLLOWS]->(r)
""",
    columns("rid", ("count(u)", "n")),
)

OPENALEX_AUTHOR_FIGURES = look_up(
    NodeLabel.RESEARCHER,
    "r",
    columns(
        ("r.id", "id"),
        ("r.worksCount", "worksCount"),
        ("r.citedByCount", "citedByCount"),
        ("r.hIndex", "hIndex"),
        ("r.i10Index", "i10Index"),
    ),
)


def _identified(label: NodeLabel) -> FromIds:
    returns = columns(("i.id", "key"), ("min(n.id)", "id"))
    # The key alone, then its edges: LadybugDB scans the relationship table when the UNWIND
    # is joined to the pattern (graphstore.engines.compiler).
    edges = f"OPTIONAL MATCH (i)-[e:IDENTIFIES]->(n:{label.value})\nWHERE e.own = true"
    return FromIds(
        each=ReadQuery(f"UNWIND $ids AS key\nMATCH (i:Identifier {{id: key}})\n{edges}", returns),
        one=ReadQuery(f"MATCH (i:Identifier {{id: $id}})\n{edges}", returns),
    )


# The node whose own identifier each key is, by the kind the key identifies; when OpenAlex
# holds several (duplicates of one work, split author profiles), the lowest id.
IDENTIFIED = {label: _identified(label) for label in set(SCHEME_LABELS.values())}
