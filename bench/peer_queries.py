"""The GraphQL documents of the profile comparison: ours, its common subset, and the peer's.

``PEER_PROFILE`` is the closest the peer comes to our ProfilePage: its generated API for the
researcher and the newest 10 works with their authors in order and the total, and the figures
it cannot generate (stats, topics ranked by the researcher's works, collaborators ranked by
Newman strength, affiliations with years) from ``@cypher`` fields of custom Cypher, as a user of
@neo4j/graphql would write them (bench/peer/server.mjs). It has no trust snapshot: the one
part of the page it leaves out. ``PEER_GENERATED`` asks only what the generated API gives: the
researcher, its AFFILIATED_WITH institutions, the works count and citation sum (aggregations)
and the same works page. ``OUR_SUBSET`` and ``PEER_SUBSET`` are the same question on both
sides: the researcher and the newest 10 works with authors and the total.
"""

from __future__ import annotations

from inputs import QUERIES

OUR_PROFILE = (QUERIES / "profile.graphql").read_text()
OUR_EXPLORER = (QUERIES / "explorer.graphql").read_text()

OUR_SUBSET = """
query ProfileSubset($id: ID!) {
  researcher(id: $id) {
    id name openToCollaborate claimStatus
    works(first: 10) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id title type year venue abstract authors { position researcher { id name } } }
    }
  }
}
"""

_PEER_PAGE = """
    id name openToCollaborate claimStatus
    worksConnection(
      first: 10
      sort: [{ node: { year: DESC } }, { node: { title: ASC } }, { node: { id: ASC } }]
    ) {
      totalCount
      AGGREGATE
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id title type year venue abstract
          authorsConnection(sort: [{ edge: { position: ASC } }]) {
            edges { properties { position } node { id name } }
          }
        }
      }
    }
"""

_AGGREGATE = "aggregate { count { nodes } node { citedByCount { sum } } }"
_BARE_PAGE = _PEER_PAGE.replace("AGGREGATE", "")

_PEER_FIGURES = """
    stats { works citations hIndex followers topics closeCollaborators }
    topics(first: 6) { works topic { id name } }
    collaborators(first: 10, minSharedWorks: 2) { sharedWorks strength researcher { id name } }
    affiliations { institution { id name } years }
"""

_GENERATED_BODY = _PEER_PAGE.replace("AGGREGATE", _AGGREGATE) + "    institutions { id name }\n"


def _researcher_query(name: str, body: str) -> str:
    return f"""
query {name}($id: ID!) {{
  researchers(where: {{ id: {{ eq: $id }} }}) {{{body}  }}
}}
"""


PEER_SUBSET = _researcher_query("PeerProfileSubset", _BARE_PAGE)
PEER_PROFILE = _researcher_query("PeerProfile", _BARE_PAGE + _PEER_FIGURES)
PEER_GENERATED = _researcher_query("PeerProfileGenerated", _GENERATED_BODY)
