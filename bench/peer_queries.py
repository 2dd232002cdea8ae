"""The GraphQL documents of the profile comparison: ours, its common subset, and the peer's.

@neo4j/graphql has no trust snapshot, no collaborators (co-authors ranked by shared works and
Newman strength), no topic ranking over a researcher's works, no h-index or follower figures
and no affiliations with years derived from authorships. ``PEER_PROFILE`` asks for what it can
give of the profile page: the researcher, its AFFILIATED_WITH institutions, the works count
and citation sum (aggregations), and the newest 10 works with their authors in order.
``PEER_WALK`` adds every work's authors and topics: the rows a client would need to compute
collaborators, topics and h-index itself. ``OUR_SUBSET`` and ``PEER_SUBSET`` are the same
question on both sides: the researcher and the newest 10 works with authors and the total.
"""

from __future__ import annotations

from harness import QUERIES

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
_PEER_BODY = _PEER_PAGE.replace("AGGREGATE", _AGGREGATE) + "    institutions { id name }\n"

PEER_SUBSET = f"""
query PeerProfileSubset($id: ID!) {{
  researchers(where: {{ id: {{ eq: $id }} }}) {{{_PEER_PAGE.replace("AGGREGATE", "")}  }}
}}
"""

PEER_PROFILE = f"""
query PeerProfile($id: ID!) {{
  researchers(where: {{ id: {{ eq: $id }} }}) {{{_PEER_BODY}  }}
}}
"""

PEER_WALK = f"""
query PeerProfileWalk($id: ID!) {{
  researchers(where: {{ id: {{ eq: $id }} }}) {{{_PEER_BODY}
    works {{ id citedByCount authors {{ id name }} topics {{ id name }} }}
  }}
}}
"""
