"""Cypher text that both engines accept, built only from fixed fragments.

Values always travel as parameters; the only text chosen at run time is picked from the
fragments below by enum members, never taken from input.
"""

from __future__ import annotations

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

# The researchers first, then their followers: LadybugDB scans every FOLLOWS edge when the
# frontier is joined to the pattern (graphstore.engines.compiler).
FOLLOWER_COUNTS = """
UNWIND $ids AS rid
MATCH (r:Researcher {id: rid})
OPTIONAL MATCH (u:User)-[:FOLLOWS]->(r)
RETURN rid, count(u) AS n
"""
