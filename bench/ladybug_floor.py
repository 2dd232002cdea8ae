"""The floor on LadybugDB: the data of the profile page and of the explorer fetched by
hand-written queries, through ``ladybug`` directly (not the project's store), on one
connection, one query after another.

Every query is anchored on one id, the centre's or one work's or institution's (a frontier of
ids joined to a pattern, ``UNWIND $ids AS x MATCH (s {id: x})-[...]->(t)``, is planned as a
scan of a node table; a pattern anchored on one id is a hash-index look-up); the only frontier
is ``UNWIND $ids AS x MATCH (n:Label {id: x})`` with no relationship, which LadybugDB plans as
one primary-key look-up per id. ``plans()`` checks each query's EXPLAIN for that. Three more
facts of LadybugDB 0.22 shape the queries:

- a value the engine sends costs far more than a step of the walk: the hub's co-author walk
  (2,147 rows) takes 0.1 ms to count and 7 ms to return as rows of ids and names, so the
  walks return what the answer needs only, as single rows of lists where that is cheaper;
- a node's internal id (``offset(id(w))``) is free to return but cannot be looked up (a scan),
  so internal ids join rows of two queries (works to their author count) and nothing else;
- with few or no rows in a relationship table (AFFILIATED_WITH and CITES are empty in
  conference-graph), the planner builds a hash join on a scan of the far node table; a join
  order hint (``HINT (i JOIN a) JOIN t``) makes it walk from the anchor instead (16 ms -> 0.2).

LadybugDB's walk does not keep two AUTHORED edges of one pattern distinct, so
``(r)-[:AUTHORED]->(w)<-[:AUTHORED]-(c)`` yields the researcher itself among each work's
authors: the co-author figures leave it out in Python, the explorer keeps it (an edge it has
already).

What is cheap in Python is done there: the h-index from the works' citations, the ranking of
collaborators and topics, the merging of affiliations, the trust score. Each query is run with
``Connection.execute(query, parameters)``, which prepares a statement once per query text and
parameter types and reuses it after.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ladybug
import orjson
from subgraph import (
    Neighbourhood,
    assemble,
    authorship_weight,
    level_one_institutions,
    levels,
    listed_institutions,
)

PROFILE_WORKS_PAGE = 10
PROFILE_TOPICS = 6
PROFILE_COLLABORATORS = 10
CLOSE_COLLABORATION_WORKS = 2

# ---------------------------------------------------------------------------------------------
# The profile page

RESEARCHER = """
MATCH (r:Researcher {id: $id})
RETURN r.name, r.orcid, r.bio, r.openToCollaborate, r.claimStatus, r.orcidVerified
"""
FOLLOWERS = "MATCH (:User)-[f:FOLLOWS]->(r:Researcher {id: $id}) RETURN count(f)"
# Every work: its year, citations and author count (the figures, the co-authors' weights)
# and the institutions of the researcher's authorship (the affiliations and their years).
WORKS = """
MATCH (r:Researcher {id: $id})-[e:AUTHORED]->(w:Work)
RETURN offset(id(w)), w.year, w.citedByCount, w.authorCount, e.institutions
"""
# The newest works, ordered and cut by the engine (titles read only to break a year's ties).
PAGE = f"""
MATCH (r:Researcher {{id: $id}})-[:AUTHORED]->(w:Work)
WITH w ORDER BY coalesce(w.year, 0) DESC, coalesce(w.title, w.id), w.id
LIMIT {PROFILE_WORKS_PAGE + 1}
RETURN w.id, w.title, w.type, w.year, w.venue, w.abstract
"""
AUTHORS_OF_WORK = """
MATCH (w:Work {id: $id})<-[e:AUTHORED]-(a:Researcher)
RETURN e.position, a.id, a.name
"""
# The co-author walk: which work each authorship is of, and whose.
COAUTHORS = """
MATCH (r:Researcher {id: $id})-[:AUTHORED]->(w:Work)<-[:AUTHORED]-(c:Researcher)
RETURN collect(offset(id(w))), collect(c.id)
"""
RESEARCHER_NAMES = "UNWIND $ids AS x MATCH (c:Researcher {id: x}) RETURN c.id, c.name"
# Each topic link of the researcher's works (a work counts once per topic, in Python: faster
# than count(DISTINCT w) in the engine).
TOPIC_SHARES = """
MATCH (r:Researcher {id: $id})-[:AUTHORED]->(w:Work)-[:HAS_TOPIC]->(t:Topic)
RETURN offset(id(w)), t.id, t.name
"""
INSTITUTION_NAMES = "UNWIND $ids AS x MATCH (i:Institution {id: x}) RETURN i.id, i.name"
AFFILIATED = """
MATCH (r:Researcher {id: $id})-[a:AFFILIATED_WITH]->(i:Institution)
HINT (r JOIN a) JOIN i
RETURN i.id, i.name, a.years
"""

# ---------------------------------------------------------------------------------------------
# The explorer (from a researcher, depth 1 or 2)

EXPLORE_WORKS = """
MATCH (c:Researcher {id: $id})-[e:AUTHORED]->(w:Work)
RETURN offset(id(w)), w.id, w.title, w.citedByCount, w.authorCount, e.institutions
"""
# Every authorship of the centre's works (the centre's own among them): the work, the author
# and the institutions it lists. (collect() leaves out nulls: the lists stay aligned only
# with none.)
EXPLORE_AUTHORS = """
MATCH (c:Researcher {id: $id})-[:AUTHORED]->(w:Work)<-[e:AUTHORED]-(t:Researcher)
RETURN collect(offset(id(w))), collect(t.id), collect(coalesce(t.name, t.id)),
       collect(coalesce(e.institutions, CAST([], "STRING[]")))
"""
EXPLORE_TOPICS = """
MATCH (c:Researcher {id: $id})-[:AUTHORED]->(w:Work)-[h:HAS_TOPIC]->(t:Topic)
RETURN offset(id(w)), t.id, t.name, h.score
"""
EXPLORE_REFERENCES = """
MATCH (c:Researcher {id: $id})-[:AUTHORED]->(w:Work)-[:CITES]->(v:Work)
RETURN offset(id(w)), v.id, v.title, v.citedByCount
"""
EXPLORE_CITERS = """
MATCH (c:Researcher {id: $id})-[:AUTHORED]->(w:Work)<-[:CITES]-(v:Work)
RETURN offset(id(w)), v.id, v.title, v.citedByCount
"""
EXPLORE_AFFILIATED = """
MATCH (c:Researcher {id: $id})-[a:AFFILIATED_WITH]->(i:Institution)
HINT (c JOIN a) JOIN i
RETURN i.id, i.name
"""
# An institution's researchers (AFFILIATED_WITH), asked of each institution at level 1: first
# whether it has any (no node property read), then who, only for those that have.
INSTITUTION_HAS_RESEARCHERS = """
MATCH (i:Institution {id: $id})<-[a:AFFILIATED_WITH]-(t:Researcher)
HINT (i JOIN a) JOIN t
RETURN offset(id(t)) LIMIT 1
"""
INSTITUTION_RESEARCHERS = """
MATCH (i:Institution {id: $id})<-[a:AFFILIATED_WITH]-(t:Researcher)
HINT (i JOIN a) JOIN t
RETURN t.id, t.name
"""

NOT_ALWAYS_ASKED = (INSTITUTION_RESEARCHERS,)


class LadybugFloor:
    """Hand-written queries on a LadybugDB database, opened read-only by this process."""

    def __init__(self, path: Path | str) -> None:
        self._db = ladybug.Database(str(path), read_only=True)
        self._connection = ladybug.Connection(self._db)
        self._asked: dict[str, dict[str, Any]] | None = None

    def close(self) -> None:
        self._connection.close()
        self._db.close()

    def _rows(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        if self._asked is not None:
            self._asked.setdefault(query, params)
        result = self._connection.execute(query, params)
        assert not isinstance(result, list)
        rows: list[list[Any]] = result.get_all()  # type: ignore[assignment]
        result.close()
        return rows

    # -----------------------------------------------------------------------------------------
    # Profile

    def profile(self, researcher_id: str) -> dict[str, Any] | None:
        """What the ProfilePage response holds (web/queries/profile.graphql), or None."""
        anchor = {"id": researcher_id}
        found = self._rows(RESEARCHER, anchor)
        if not found:
            return None
        name, orcid, bio, open_to_collaborate, claim_status, orcid_verified = found[0]
        followers = int(self._rows(FOLLOWERS, anchor)[0][0])
        works = self._rows(WORKS, anchor)
        weights = {offset: authorship_weight(authors) for offset, _, _, authors, _ in works}
        citations = sorted((int(cited or 0) for _, _, cited, _, _ in works), reverse=True)
        h_index = sum(1 for rank, cited in enumerate(citations, start=1) if cited >= rank)
        work_offsets, coauthor_ids = self._rows(COAUTHORS, anchor)[0]
        collaborators, close = self._collaborators(
            researcher_id, work_offsets, coauthor_ids, weights
        )
        topic_works: dict[str, set[int]] = {}
        topic_names: dict[str, str] = {}
        for work, tid, tname in self._rows(TOPIC_SHARES, anchor):
            topic_works.setdefault(tid, set()).add(work)
            topic_names[tid] = tname or tid
        topics = [
            {"id": tid, "name": topic_names[tid], "works": len(ws)}
            for tid, ws in topic_works.items()
        ]
        topics.sort(key=lambda t: (-t["works"], t["name"], t["id"]))
        affiliations = self._affiliations(anchor, works)
        page = self._rows(PAGE, anchor)
        stats = {
            "works": len(works),
            "followers": followers,
            "topics": len(topics),
            "closeCollaborators": close,
            "citations": sum(citations),
            "hIndex": h_index,
        }
        record = (name, orcid, bio, open_to_collaborate, claim_status, orcid_verified)
        return self.answer(
            researcher_id,
            record,
            stats,
            affiliations=affiliations,
            topics=topics[:PROFILE_TOPICS],
            collaborators=collaborators,
            total=len(works),
            page=page,
        )

    def answer(
        self,
        researcher_id: str,
        record: Sequence[Any],
        stats: dict[str, int],
        *,
        affiliations: list[dict[str, Any]],
        topics: list[dict[str, Any]],
        collaborators: list[dict[str, Any]],
        total: int,
        page: Sequence[Sequence[Any]],
    ) -> dict[str, Any]:
        """The ProfilePage answer from what a floor read: the researcher's columns (RESEARCHER's),
        its figures and lists, its works count and the rows of its newest works (PAGE's, one
        more than the page to tell whether more follow), whose authors are read here."""
        name, orcid, bio, open_to_collaborate, claim_status, orcid_verified = record
        claim = claim_status or "UNCLAIMED"
        shown = page[:PROFILE_WORKS_PAGE]
        return {
            "id": researcher_id,
            "name": name or researcher_id,
            "openToCollaborate": True if open_to_collaborate is None else bool(open_to_collaborate),
            "claimStatus": claim,
            "affiliations": affiliations,
            "stats": stats,
            "trust": trust(claim, orcid, bool(orcid_verified), bio, stats, bool(affiliations)),
            "topics": topics,
            "collaborators": collaborators,
            "works": {
                "totalCount": total,
                "hasNextPage": len(page) > PROFILE_WORKS_PAGE,
                "endCursor": newest_cursor(shown[-1]) if shown else None,
                "nodes": [self._page_work(row) for row in shown],
            },
        }

    def _collaborators(
        self,
        researcher_id: str,
        work_offsets: Sequence[int],
        coauthor_ids: Sequence[str],
        weights: dict[int, float],
    ) -> tuple[list[dict[str, Any]], int]:
        """The top co-authors with at least 2 shared works by Newman strength (then shared
        works, name, id), and how many there are; names read for the top and its ties only."""
        shared: dict[str, int] = {}
        strength: dict[str, float] = {}
        for work, coauthor in zip(work_offsets, coauthor_ids, strict=True):
            if coauthor == researcher_id:
                continue
            shared[coauthor] = shared.get(coauthor, 0) + 1
            strength[coauthor] = strength.get(coauthor, 0.0) + weights[work]
        close = [
            (-round(strength[c], 9), -n, c)
            for c, n in shared.items()
            if n >= CLOSE_COLLABORATION_WORKS
        ]
        close.sort()
        if len(close) > PROFILE_COLLABORATORS:
            last = close[PROFILE_COLLABORATORS - 1][:2]
            candidates = [c for c in close if c[:2] <= last]
        else:
            candidates = close
        names = dict(self._rows(RESEARCHER_NAMES, {"ids": [c for _, _, c in candidates]}))
        ranked = sorted(candidates, key=lambda c: (c[0], c[1], names.get(c[2]) or c[2], c[2]))
        return [
            {
                "id": c,
                "name": names.get(c) or c,
                "sharedWorks": -n,
                "strength": -s,
            }
            for s, n, c in ranked[:PROFILE_COLLABORATORS]
        ], len(close)

    def _affiliations(
        self, anchor: dict[str, str], works: Sequence[Sequence[Any]]
    ) -> list[dict[str, Any]]:
        """Institutions from the authorships (with their works' years) and AFFILIATED_WITH
        (with its years), merged; most recent first, then by name."""
        years: dict[str, set[int]] = {}
        for _, year, _, _, institutions in works:
            for iid in institutions or ():
                known = years.setdefault(iid, set())
                if year is not None:
                    known.add(int(year))
        names: dict[str, str] = {}
        if years:
            names = dict(self._rows(INSTITUTION_NAMES, {"ids": list(years)}))
        years = {iid: ys for iid, ys in years.items() if iid in names}
        for iid, iname, listed in self._rows(AFFILIATED, anchor):
            names[iid] = iname
            years.setdefault(iid, set()).update(int(y) for y in listed or () if y is not None)
        found = [
            {"id": iid, "name": names[iid] or iid, "years": sorted(ys)} for iid, ys in years.items()
        ]
        found.sort(key=lambda a: (-(a["years"][-1] if a["years"] else 0), a["name"]))
        return found

    def _page_work(self, row: Sequence[Any]) -> dict[str, Any]:
        wid, title, work_type, year, venue, abstract = row
        authors = sorted(
            self._rows(AUTHORS_OF_WORK, {"id": wid}),
            key=lambda a: (a[0] if a[0] is not None else 0, a[1]),
        )
        return {
            "id": wid,
            "title": title or "",
            "type": work_type or "unknown",
            "year": year,
            "venue": venue,
            "abstract": abstract,
            "authors": [
                {
                    "position": position if position is not None else index,
                    "id": aid,
                    "name": aname or aid,
                }
                for index, (position, aid, aname) in enumerate(authors)
            ],
        }

    # -----------------------------------------------------------------------------------------
    # Explorer

    def explore(self, center: str, depth: int, limit: int) -> dict[str, Any]:
        """The neighbourhood of a researcher to depth 1 or 2, at most ``limit`` nodes, over the
        hops of bench/subgraph.py (the authorships' institutions among them). Everything is
        fetched before the levels are cut: a limit that cuts level 1 would have made the
        level-2 queries unnecessary (not so in the benchmark's cases)."""
        if depth not in (1, 2):
            raise ValueError("the floor explores to depth 1 or 2")
        anchor = {"id": center}
        found = self._rows(RESEARCHER, anchor)
        if not found:
            raise LookupError(f"no researcher {center}")
        name = found[0][0] or center
        fetched = _Fetch(self, anchor).neighbourhood(name, depth)
        return assemble(center, name, limit, depth, levels(center, fetched, depth))

    # -----------------------------------------------------------------------------------------
    # Plans

    def plans(self, calls: Sequence[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Each query the calls ran (``(what, method, kwargs)``), its plan's operators, and
        whether it is anchored: its plan looks ids up by index (a hash-index scan on the
        anchor, or primary-key look-ups) and scans no node table except through a semi-join
        mask (the rows a walk reached)."""
        self._asked = {}
        try:
            for _, method, kwargs in calls:
                getattr(self, method)(**kwargs)
            asked = self._asked
        finally:
            self._asked = None
        # A query the calls did not need (no institution here has researchers) is checked
        # with an id of no node: the plan does not depend on the value.
        for query in NOT_ALWAYS_ASKED:
            asked.setdefault(query, {"id": ""})
        found = []
        for query, params in asked.items():
            result = self._connection.execute(f"EXPLAIN {query}", params)
            assert not isinstance(result, list)
            text = str(result.get_all()[0][0])
            result.close()
            found.append({"query": " ".join(query.split()), **plan_check(text)})
        return found


class _Fetch:
    """The explorer's queries around one researcher, in the shape ``subgraph.levels`` reads."""

    def __init__(self, floor: LadybugFloor, anchor: dict[str, str]) -> None:
        self._rows = floor._rows
        self._anchor = anchor

    def neighbourhood(self, name: str, depth: int) -> Neighbourhood:
        rows, anchor = self._rows, self._anchor
        works = rows(EXPLORE_WORKS, anchor)
        work_ids = {offset: wid for offset, wid, *_ in works}
        found = Neighbourhood(
            name=name,
            works=[(wid, title, c, n, ids) for _, wid, title, c, n, ids in works],
            affiliated=[(iid, iname) for iid, iname in rows(EXPLORE_AFFILIATED, anchor)],
        )
        if depth > 1:
            authors = rows(EXPLORE_AUTHORS, anchor)[0]
            authors[0] = [work_ids[offset] for offset in authors[0]]
            found.authors = authors
        # The institutions of level 1 and, at depth 2, of level 2: one look-up for both.
        listed = sorted(listed_institutions(found, works_too=depth > 1))
        if listed:
            found.institution_names = dict(rows(INSTITUTION_NAMES, {"ids": listed}))
        if depth < 2:
            return found
        found.topics = [
            (work_ids[offset], tid, tname, score)
            for offset, tid, tname, score in rows(EXPLORE_TOPICS, anchor)
        ]
        found.references = [
            (work_ids[offset], vid, title, c)
            for offset, vid, title, c in rows(EXPLORE_REFERENCES, anchor)
        ]
        found.citers = [
            (work_ids[offset], vid, title, c)
            for offset, vid, title, c in rows(EXPLORE_CITERS, anchor)
        ]
        for iid in level_one_institutions(found):
            if rows(INSTITUTION_HAS_RESEARCHERS, {"id": iid}):
                found.institution_researchers += [
                    (iid, tid, tname) for tid, tname in rows(INSTITUTION_RESEARCHERS, {"id": iid})
                ]
        return found


# ---------------------------------------------------------------------------------------------
# Trust (the API's TrustSnapshot from the figures the floor fetched; resolvers/trust.py)

VERIFICATION_POINTS = {"L0": 0, "L1": 10, "L2": 20, "L3": 25}
BANDS = ((80, "EXEMPLARY"), (60, "TRUSTED"), (40, "ESTABLISHED"), (20, "EMERGING"), (0, "NEW"))


def trust(
    claim: str,
    orcid: str | None,
    orcid_verified: bool,
    bio: str | None,
    stats: dict[str, int],
    affiliation_known: bool,
) -> dict[str, Any]:
    """Score, band, label, verification level and the signals the score is made of, from
    the record's flags and the figures."""
    level = ("L3" if orcid_verified and orcid else "L2") if claim == "CLAIMED" else "L1"
    works, citations = stats["works"], stats["citations"]
    close = stats["closeCollaborators"]
    signals = [
        ("verification", level, VERIFICATION_POINTS[level]),
        ("claim", claim, 5 if claim == "CLAIMED" else 0),
        ("works", str(works), min(15, round(2 * math.log2(1 + works)))),
        ("citations", str(citations), min(15, round(1.5 * math.log2(1 + citations)))),
        ("hIndex", str(stats["hIndex"]), min(15, stats["hIndex"])),
        ("closeCollaborators", str(close), min(10, round(1.25 * close))),
        ("orcid", "present" if orcid else "absent", 5 if orcid else 0),
        ("affiliation", "known" if affiliation_known else "unknown", 5 if affiliation_known else 0),
        ("profile", "bio" if bio else "no bio", 5 if bio else 0),
    ]
    score = sum(points for _, _, points in signals)
    band = next(band for floor, band in BANDS if score >= floor)
    return {
        "score": score,
        "band": band,
        "label": f"Trust {score} - {band.capitalize()}",
        "verification": level,
        "signals": [{"name": n, "value": v, "points": p} for n, v, p in signals],
    }


def newest_cursor(row: Sequence[Any]) -> str:
    """The API's opaque cursor after a PAGE row in the newest-first order (the order, the
    year, the title or else the id, and the id, as resolvers/cursors.py encodes them)."""
    work_id, title, _, year = row[:4]
    payload = orjson.dumps(["NEWEST", year or 0, title or work_id, work_id])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


# ---------------------------------------------------------------------------------------------
# Plan check

_BOX_HEADER = re.compile(r"([A-Z_]+)\[(\d+)\]")
_MASKED = re.compile(r"Operators: (.*)")
INDEX_OPERATORS = ("PRIMARY_KEY_SCAN_NODE_TABLE", "QUERY_PRIMARY_KEY_LOOKUP")


def _boxes(text: str) -> list[list[str]]:
    """The operator boxes of a LadybugDB EXPLAIN plan, each as its lines of text."""
    lines = text.splitlines()
    boxes = []
    for row, line in enumerate(lines):
        for corner in re.finditer("┌", line):
            left = corner.start()
            right = line.find("┐", left)
            if right < 0:
                continue
            body = []
            for below in lines[row + 1 :]:
                if len(below) > left and below[left] == "└":
                    break
                cell = below[left + 1 : right].strip(" │─-")
                if cell:
                    body.append(cell)
            boxes.append(body)
    return boxes


def plan_check(text: str) -> dict[str, Any]:
    """The operators of an EXPLAIN plan and whether the query is anchored (see ``plans``)."""
    operators: list[str] = []
    scans: dict[str, str] = {}
    masked: set[str] = set()
    for body in _boxes(text):
        header = _BOX_HEADER.fullmatch(body[0]) if body else None
        if header is None:
            continue
        operators.append(header.group(1))
        if header.group(1) == "SCAN_NODE_TABLE":
            table = next((line for line in body if line.startswith("Tables:")), "Tables: ?")
            scans[body[0]] = table.split(":", 1)[1].strip()
        for line in body[1:]:
            mask = _MASKED.match(line)
            if header.group(1) == "SEMI_MASKER" and mask:
                masked.update(m.group(0) for m in _BOX_HEADER.finditer(mask.group(1)))
    unmasked = sorted(table for op, table in scans.items() if op not in masked)
    indexed = any(op in INDEX_OPERATORS for op in operators)
    return {
        "operators": sorted(set(operators)),
        "index_lookup": indexed,
        "masked_scans": sorted(table for op, table in scans.items() if op in masked),
        "full_scans": unmasked,
        "anchored": indexed and not unmasked,
    }


# ---------------------------------------------------------------------------------------------
# The floor's answer against our server's


def server_profile_view(body: dict[str, Any]) -> dict[str, Any]:
    """Our server's ProfilePage response (web/queries/profile.graphql), field by field, in the
    shape ``profile_view`` gives the floor's."""
    r = body["data"]["researcher"]
    works = r["works"]
    return {
        "researcher": (r["id"], r["name"], r["openToCollaborate"], r["claimStatus"]),
        "affiliations": [
            (a["institution"]["id"], a["institution"]["name"], tuple(a["years"]))
            for a in r["affiliations"]
        ],
        "stats": tuple(sorted(r["stats"].items())),
        "trust": _trust_view(r["trust"]),
        "topics": [(t["topic"]["id"], t["topic"]["name"], t["works"]) for t in r["topics"]],
        "collaborators": [
            (
                c["researcher"]["id"],
                c["researcher"]["name"],
                c["sharedWorks"],
                round(c["strength"], 6),
            )
            for c in r["collaborators"]
        ],
        "works": (
            works["totalCount"],
            works["pageInfo"]["hasNextPage"],
            works["pageInfo"]["endCursor"],
        ),
        "page": [
            (
                w["id"],
                w["title"],
                w["type"],
                w["year"],
                w["venue"],
                w["abstract"],
                tuple(
                    (a["position"], a["researcher"]["id"], a["researcher"]["name"])
                    for a in w["authors"]
                ),
            )
            for w in works["nodes"]
        ],
    }


def profile_view(found: dict[str, Any]) -> dict[str, Any]:
    """The floor's profile (``LadybugFloor.profile``) in the shape of ``server_profile_view``."""
    works = found["works"]
    return {
        "researcher": (
            found["id"],
            found["name"],
            found["openToCollaborate"],
            found["claimStatus"],
        ),
        "affiliations": [(a["id"], a["name"], tuple(a["years"])) for a in found["affiliations"]],
        "stats": tuple(sorted(found["stats"].items())),
        "trust": _trust_view(found["trust"]),
        "topics": [(t["id"], t["name"], t["works"]) for t in found["topics"]],
        "collaborators": [
            (c["id"], c["name"], c["sharedWorks"], round(c["strength"], 6))
            for c in found["collaborators"]
        ],
        "works": (works["totalCount"], works["hasNextPage"], works["endCursor"]),
        "page": [
            (
                w["id"],
                w["title"],
                w["type"],
                w["year"],
                w["venue"],
                w["abstract"],
                tuple((a["position"], a["id"], a["name"]) for a in w["authors"]),
            )
            for w in works["nodes"]
        ],
    }


def _trust_view(found: dict[str, Any]) -> tuple[Any, ...]:
    signals = tuple((s["name"], s["value"], s["points"]) for s in found["signals"])
    return (found["score"], found["band"], found["label"], found["verification"], signals)


def profile_differences(ours: dict[str, Any], floor: dict[str, Any]) -> dict[str, Any]:
    """The fields of two profile views that differ, each with both values (shortened)."""

    def short(value: Any) -> str:
        text = repr(value)
        return text if len(text) <= 400 else text[:400] + "..."

    return {
        key: {"ours": short(ours[key]), "floor": short(floor[key])}
        for key in ours
        if ours[key] != floor[key]
    }
