"""Stored per-researcher figures: a profile's summary kept on its Researcher node.

A researcher's figures (works, citations, h-index, i10-index, counts of topics and
collaborators, followers, affiliations, counts by year, the top topics and collaborators)
are aggregates of its two-hop walk, which grows with the researcher: a hub of thousands of
works on works of thousands of authors walks millions of paths. So they are computed when
the graph changes, not when a profile is read: ``refresh`` runs the compiled summary
(graphstore.engines.compiler.summary_parts, the one definition of each figure) and the counts
by year (compiler.work_set_query) with lists STORED_LIST_SIZE long, and writes what they
answered onto the node, as properties (LadybugDB indexes only primary keys, so the figures
live on the node the profile looks up by its key). A profile then reads the node and looks
up the records its lists name, each by primary key: a bounded number of rows whatever the
researcher's size.

The collaborators list is stored twice when it is longer than STORED_LIST_SIZE: the top
co-authors of all, and the top of those sharing at least CLOSE_COLLABORATION_WORKS works
(the profile page's list), so both are exact. A list asked with a larger ``minSharedWorks``
filters the stored one; when that leaves fewer than asked and the stored list was cut, the
store answers from the walk instead (``answers``), as it does for a researcher whose
figures were never written.

The first page of the researcher's works in the default order (compiler.first_page_ids:
the newest, unfiltered, STORED_PAGE_SIZE + 1 of them) is stored as their ids, so that page
reads those works by key rather than sorting all of a hub's works (``answers_page``). It
is read only while the figures are written (STORED_PAGE): a write that marks them stale
sends the page to the walk too, until the refresh.

Names, ORCIDs and the like of the listed nodes, and the page's works and authors, are read
when the profile is, so they are never stale; the figures and which works are on the first
page are as fresh as the last refresh (docs/scaling.md).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from graphstore.engines.compiler import (
    EACH_FROM,
    FIRST_PAGE_ORDER,
    SUMMARY_HEAD,
    followers_count,
    list_index,
    summary_parameters,
    target_columns,
    target_item,
)
from graphstore.engines.cypher import RESEARCHER_COLUMNS, look_up
from graphstore.engines.ladybug_csv import list_cell
from graphstore.engines.query import Column, ReadQuery, columns
from graphstore.engines.writes import Dialect, Row, Statement
from graphstore.ids import NodeLabel
from graphstore.records import (
    ProfileSummary,
    SummaryOptions,
    WorkFilter,
    WorkPageRequest,
    WorkRow,
    YearCounts,
)

# How long the stored lists are: the longest list a profile may ask for
# (resolvers.loaders.PROFILE_LIST_LIMIT).
STORED_LIST_SIZE = 100
# How many works the stored first page holds: the largest first page it answers, and one
# more, to tell whether more follow.
STORED_PAGE_SIZE = 20

# The node's properties (and LadybugDB's column types), one per stored value.
PROPERTIES: dict[str, str] = {
    "figWorks": "INT64",
    "figCitations": "INT64",
    "figHIndex": "INT64",
    "figI10Index": "INT64",
    "figTopicCount": "INT64",
    "figCollaboratorCount": "INT64",
    "figCloseCount": "INT64",
    "figFollowers": "INT64",
    "figTopicIds": "STRING[]",
    "figTopicWorks": "INT64[]",
    "figCollaboratorIds": "STRING[]",
    "figCollaboratorShared": "INT64[]",
    "figCollaboratorStrength": "DOUBLE[]",
    "figCloseIds": "STRING[]",
    "figCloseShared": "INT64[]",
    "figCloseStrength": "DOUBLE[]",
    # An affiliation's years: the years of all of them one after the other, and how many
    # each has (Neo4j stores no lists of lists).
    "figAffiliationIds": "STRING[]",
    "figAffiliationYears": "INT64[]",
    "figAffiliationYearCounts": "INT64[]",
    "figYears": "INT64[]",
    "figWorksByYear": "INT64[]",
    "figCitationsByYear": "INT64[]",
    # The ids of the first page of works (compiler.first_page_ids), in page order.
    "figPageIds": "STRING[]",
}

LADYBUG_SCHEMA = tuple(
    f"ALTER TABLE Researcher ADD IF NOT EXISTS {name} {kind}" for name, kind in PROPERTIES.items()
)

# The followers are counted when the figures are written and again by each follow and
# unfollow, in their transactions (compiler.followers_count).
_WRITTEN = [name for name in PROPERTIES if name != "figFollowers"]


@functools.cache
def write_figures(dialect: Dialect) -> str:
    """The statement setting the figures of the researchers ``$rows`` (figure_rows); their
    followers are counted by follower_statements after it, in its transaction."""

    def value(name: str) -> str:
        # LadybugDB types an empty list in a parameter as STRING[]: the column's type is
        # given.
        kind = PROPERTIES[name]
        if dialect is Dialect.LADYBUG and kind.endswith("[]"):
            return f"CAST(row.{name} AS {kind})"
        return f"row.{name}"

    return (
        "UNWIND $rows AS row\nMATCH (r:Researcher {id: row.id})\n"
        f"SET {', '.join(f'r.{name} = {value(name)}' for name in _WRITTEN)}"
    )


# LadybugDB: a refresh of many researchers writes their rows to a CSV file and sets them
# from it (load_figures): passed as a parameter, the rows are converted value by value,
# dozens a researcher, which costs more than the write (docs/scaling.md).
def load_figures(path: str) -> str:
    """The statement setting the figures of the researchers in the CSV file ``path``
    (csv_records, no header), as write_figures does from ``$rows``."""
    heads = ", ".join(f"{name} {PROPERTIES[name]}" for name in _WRITTEN)
    return (
        f"LOAD WITH HEADERS (id STRING, {heads}) FROM '{path}' (header=false, auto_detect=false)"
        f"\nMATCH (r:Researcher {{id: id}})\n"
        f"SET {', '.join(f'r.{name} = {name}' for name in _WRITTEN)}"
    )


def csv_records(rows: Sequence[Row]) -> tuple[list[list[Any]], list[Row]]:
    """``rows`` (figure_rows) as load_figures's CSV records, and those a CSV list cell
    cannot hold (a string item that is not plain), left to write_figures."""
    records, left = [], []
    for row in rows:
        record: list[Any] = [row["id"]]
        for name in _WRITTEN:
            value = row[name]
            if isinstance(value, list):
                value = list_cell(value)
                if value is None:
                    left.append(row)
                    break
            record.append(value)
        else:
            records.append(record)
    return records, left


WRITE_FOLLOWERS = f"MATCH (r:Researcher {{id: $rid}})\n{followers_count('r.figFollowers')}"
_WRITE_FOLLOWER_COUNTS = (
    f"UNWIND $rows AS row\nMATCH (r:Researcher {{id: row.id}})\n{followers_count('r.figFollowers')}"
)


def follower_statements(dialect: Dialect, rows: Sequence[Row]) -> list[Statement]:
    """The statements counting the followers of the researchers ``rows`` name, after
    write_figures: one over the list on Neo4j; on LadybugDB, which plans the list form's
    OPTIONAL MATCH as a scan of every researcher, one anchored on each researcher unless the
    list is long enough for the scan to cost less (compiler.EACH_FROM)."""
    if dialect is Dialect.NEO4J or len(rows) >= EACH_FROM:
        return [(_WRITE_FOLLOWER_COUNTS, {"rows": [{"id": row["id"]} for row in rows]})]
    return [(WRITE_FOLLOWERS, {"rid": row["id"]}) for row in rows]


# A researcher whose figures are unset: never written, or marked stale by a write that
# changed them (stale_statement); reads then walk (answers) until a refresh writes them.
_STALE = "MATCH (r:Researcher)\nWHERE r.figWorks IS NULL"
STALE_COUNT = ReadQuery(_STALE, columns(("count(r)", "n")))
# The stale researchers by id, a page at a time.
STALE_IDS_AFTER = ReadQuery(
    f"{_STALE} AND r.id > $after", columns(("r.id", "id")), tail="ORDER BY id LIMIT $size"
)
_MARK_STALE = "UNWIND $ids AS rid\nMATCH (r:Researcher {id: rid})\nSET r.figWorks = NULL"


def stale_statement(ids: Sequence[str]) -> Statement:
    """The statement marking the figures of the researchers ``ids`` stale, run in the
    transaction of the write that changes them."""
    return (_MARK_STALE, {"ids": list(dict.fromkeys(ids))})


def researchers_of(works: Sequence[WorkRow], former: Mapping[str, Sequence[str]]) -> list[str]:
    """The researchers whose figures writing ``works`` changes: their authors, and the
    ``former`` authors (by work id) a newer version may have dropped."""
    return [
        *(a.researcher_id for w in works for a in w.authorships),
        *(r for w in works for r in former.get(w.id, ())),
    ]


def figure_rows(
    ids: Sequence[str],
    summaries: Sequence[ProfileSummary],
    close: Mapping[str, Sequence[Row]],
    years: Sequence[Sequence[YearCounts]],
    pages: Sequence[Sequence[str]],
) -> list[Row]:
    """The properties write_figures sets on each researcher, from its summary (lists
    STORED_LIST_SIZE long, any shared works), the summary of its close collaborators when
    its list was cut (``close``: compiler.collaborators_query's rows), its counts by year
    and the ids of its first page of works (compiler.first_page_ids, STORED_PAGE_SIZE)."""
    rows = []
    for researcher, summary, by_year, page in zip(ids, summaries, years, pages, strict=True):
        closest = close.get(researcher, ())
        rows.append(
            {
                "id": researcher,
                "figWorks": summary.works,
                "figCitations": summary.citations,
                "figHIndex": summary.h_index,
                "figI10Index": summary.i10_index,
                "figTopicCount": summary.topic_count,
                "figCollaboratorCount": summary.collaborator_count,
                "figCloseCount": summary.close_collaborator_count,
                "figTopicIds": [t.topic.id for t in summary.topics],
                "figTopicWorks": [t.works for t in summary.topics],
                "figCollaboratorIds": [c.researcher.id for c in summary.collaborators],
                "figCollaboratorShared": [c.shared_works for c in summary.collaborators],
                "figCollaboratorStrength": [c.strength for c in summary.collaborators],
                "figCloseIds": [c["id"] for c in closest],
                "figCloseShared": [int(c["shared"]) for c in closest],
                "figCloseStrength": [float(c["strength"]) for c in closest],
                "figAffiliationIds": [a.institution.id for a in summary.affiliations],
                "figAffiliationYears": [y for a in summary.affiliations for y in a.years],
                "figAffiliationYearCounts": [len(a.years) for a in summary.affiliations],
                "figYears": [y.year for y in by_year],
                "figWorksByYear": [y.works for y in by_year],
                "figCitationsByYear": [y.citations for y in by_year],
                "figPageIds": list(page),
            }
        )
    return rows


def needs_close_list(summary: ProfileSummary) -> bool:
    """Whether a researcher's collaborators list was cut, so its close collaborators are
    stored apart."""
    return summary.collaborator_count > STORED_LIST_SIZE


_FIGURE_COLUMNS = columns(
    ("r.figWorks", "works"),
    ("r.figCitations", "citations"),
    ("r.figHIndex", "hIndex"),
    ("r.figI10Index", "i10Index"),
    ("r.figTopicCount", "topicCount"),
    ("r.figCollaboratorCount", "collaboratorCount"),
    ("r.figCloseCount", "closeCount"),
    ("coalesce(r.figFollowers, 0)", "followers"),
    ("r.figAffiliationIds", "affiliationIds"),
    ("r.figAffiliationYears", "affiliationYears"),
    ("r.figAffiliationYearCounts", "affiliationYearCounts"),
)
_YEAR_COLUMNS = columns(
    ("r.id", "id"),
    ("r.figWorks", "works"),
    ("r.figYears", "years"),
    ("r.figWorksByYear", "worksByYear"),
    ("r.figCitationsByYear", "citationsByYear"),
)
# Which stored collaborators list a request reads: all co-authors' unless it asks for
# close ones and that list was cut.
_OVERALL = f"($minShared <= 1 OR r.figCollaboratorCount <= {STORED_LIST_SIZE})"


def _chosen(overall: str, close: str) -> str:
    return f"CASE WHEN {_OVERALL} THEN r.{overall} ELSE r.{close} END"


class _StoredList:
    """A stored list of ids with values alongside, read in stored order with each id's
    node looked up by its key. ``keep`` is a (value, parameter) pair: an item stays only
    when that value is at least the request's parameter."""

    def __init__(
        self,
        name: str,
        label: NodeLabel,
        keys: str,
        values: dict[str, str],
        *,
        keep: tuple[str, str] | None = None,
        limited: bool = True,
    ) -> None:
        self.name, self.label, self.keys, self.values = name, label, keys, values
        self.keep, self.limited = keep, limited

    def walk(self, dialect: Dialect) -> str:
        """From ``r`` to each listed node ``t``, its place ``at`` and its values."""
        lists = ", ".join(f"{expression} AS {name}List" for name, expression in self.values.items())
        picked = ", ".join(f"{name}List[i] AS {name}" for name in self.values)
        text = (
            f"WITH coalesce({self.keys}, []) AS keys{', ' + lists if lists else ''}\n"
            f"UNWIND {list_index('keys', dialect)} AS i\n"
            f"WITH i AS at, keys[i] AS key{', ' + picked if picked else ''}\n"
        )
        if self.keep:
            value, parameter = self.keep
            text += f"WHERE {value} >= ${parameter}\n"
        return text + f"MATCH (t:{self.label.value} {{id: key}})"

    def list_columns(self) -> tuple[Column, ...]:
        """The list's keys and values as columns of the researcher ``r``'s row (read_list
        reads them)."""
        return (
            Column(f"coalesce({self.keys}, [])", f"{self.name}Keys"),
            *(
                Column(expression, f"{self.name}_{name}")
                for name, expression in self.values.items()
            ),
        )

    def read_list(self, row: Row, params: Mapping[str, Any]) -> list[tuple[str, Row]]:
        """The list in ``row`` (list_columns), in stored order: each id with its place
        ``at`` and its values, those ``keep`` drops left out."""
        listed = []
        for at, key in enumerate(row[f"{self.name}Keys"], start=1):
            values = {name: row[f"{self.name}_{name}"][at - 1] for name in self.values}
            if self.keep and values[self.keep[0]] < params[self.keep[1]]:
                continue
            listed.append((key, {"at": at, **values}))
        return listed


_LISTS = (
    _StoredList("topics", NodeLabel.TOPIC, "r.figTopicIds", {"works": "r.figTopicWorks"}),
    _StoredList(
        "collaborators",
        NodeLabel.RESEARCHER,
        _chosen("figCollaboratorIds", "figCloseIds"),
        {
            "shared": _chosen("figCollaboratorShared", "figCloseShared"),
            "strength": _chosen("figCollaboratorStrength", "figCloseStrength"),
        },
        keep=("shared", "minShared"),
    ),
    _StoredList("institutions", NodeLabel.INSTITUTION, "r.figAffiliationIds", {}, limited=False),
)


# The stored page's ids, on the researcher ``r``; null while its figures are stale (a write
# changed them, stale_statement), when the page may be too: reads then walk.
STORED_PAGE = "CASE WHEN r.figWorks IS NULL THEN NULL ELSE r.figPageIds END"

# LadybugDB: the researchers by id with their stored figures, each list's ids and values
# (chosen for ``$minShared``) and the stored first page's ids. LadybugDB plans a look-up by
# a key read from a list property as a join, which costs more than reading the list and
# looking its ids up by a parameter (stored_lookups; bench/ladybug_shapes.py).
STORED_ROWS = look_up(
    NodeLabel.RESEARCHER,
    "r",
    (
        *RESEARCHER_COLUMNS,
        *_FIGURE_COLUMNS,
        *(column for stored in _LISTS for column in stored.list_columns()),
        Column(STORED_PAGE, "pageIds"),
    ),
)
# The nodes a stored list names, by label, as the live summary's lists return them.
LISTED_BY_ID = {
    stored.label: look_up(stored.label, "t", target_columns(stored.label)) for stored in _LISTS
}


def stored_lookups(
    row: Row, options: SummaryOptions
) -> list[tuple[NodeLabel, list[tuple[str, Row]]]]:
    """What each stored list of ``row`` (STORED_ROWS) holds for ``options``, list by list:
    the label of its nodes, and each id with its place and values, a limited list cut at
    ``options.top``; nothing when the figures are unwritten or stale."""
    if row["works"] is None:
        return []
    params = summary_parameters(options.min_shared, options.top)
    # A limited list's first ``top`` ids are enough: researchers, topics and institutions
    # are never deleted one by one (clear removes the researcher with them), so each is found.
    return [
        (stored.label, stored.read_list(row, params)[: options.top if stored.limited else None])
        for stored in _LISTS
    ]


def stored_summary(
    row: Row,
    lookups: Sequence[tuple[NodeLabel, Sequence[tuple[str, Row]]]],
    found: Sequence[Sequence[Row]],
) -> Row:
    """The stored summary of ``row`` (STORED_ROWS) from its stored_lookups and the nodes
    found for them, list by list: the figures' row with each list's nodes in stored order."""
    summary = dict(row)
    for stored, (_, listed), nodes in zip(_LISTS, lookups, found, strict=True):
        by_id = {node["id"]: node for node in nodes}
        summary[stored.name] = [by_id[key] | values for key, values in listed if key in by_id]
    return summary


@functools.cache
def stored_summaries_query() -> ReadQuery:
    """Neo4j's stored summaries of the researchers ``$ids`` (taking ``$top`` and
    ``$minShared``): one row per researcher, each list a subquery."""
    body = SUMMARY_HEAD
    for stored in _LISTS:
        values = columns("at", *stored.values)
        limit = "\n  LIMIT $top" if stored.limited else ""
        body += (
            f"\nCALL (r) {{\n{stored.walk(Dialect.NEO4J)}\n"
            f"  WITH t, {', '.join(c.name for c in values)} ORDER BY at{limit}\n"
            f"  RETURN collect({target_item(stored.label, values)}) AS {stored.name}\n}}"
        )
    return ReadQuery(
        body, (Column("rid", "rid"), *_FIGURE_COLUMNS, *columns(*(s.name for s in _LISTS)))
    )


# Researchers' stored counts by year, by id.
STORED_YEARS = look_up(NodeLabel.RESEARCHER, "r", _YEAR_COLUMNS)


def answers(row: Row | None, options: SummaryOptions) -> bool:
    """Whether a researcher's stored summary (the figures' row and its lists) answers a
    request for ``options``: figures written, lists long enough, and a collaborators list
    that is the top of all that pass the request (a filtered list cut short is not)."""
    if row is None or row["works"] is None or options.top > STORED_LIST_SIZE:
        return False
    overall = options.min_shared <= 1 or row["collaboratorCount"] <= STORED_LIST_SIZE
    stored_count = row["collaboratorCount"] if overall else row["closeCount"]
    return len(row["collaborators"]) >= options.top or stored_count <= STORED_LIST_SIZE


def summary_row(row: Row) -> dict[str, Any]:
    """A stored summary's row as cypher_store.summary_from_row reads the live one's: the
    affiliations rebuilt from the institutions found and the stored years."""
    institutions = {found["id"]: found for found in row["institutions"]}
    affiliations = []
    start = 0
    for institution, count in zip(
        row["affiliationIds"] or (), row["affiliationYearCounts"] or (), strict=True
    ):
        years = list(row["affiliationYears"][start : start + count])
        start += count
        if institution in institutions:
            affiliations.append({**institutions[institution], "years": years})
    return {**row, "fromAuthorships": affiliations, "fromRecords": []}


def years_from_row(row: Row) -> list[YearCounts] | None:
    """A researcher's stored counts by year; None when its figures were never written."""
    if row["works"] is None:
        return None
    return [
        YearCounts(year=int(y), works=int(w), citations=int(c))
        for y, w, c in zip(row["years"], row["worksByYear"], row["citationsByYear"], strict=True)
    ]


def answers_page(request: WorkPageRequest) -> bool:
    """Whether a researcher's stored first page (when written and not stale) answers
    ``request``: the first page of the default order, unfiltered, at most STORED_PAGE_SIZE
    long."""
    return (
        request.order is FIRST_PAGE_ORDER
        and request.filter == WorkFilter()
        and request.after is None
        and request.first <= STORED_PAGE_SIZE
    )


def stored_page_ids(row: Row | None, request: WorkPageRequest) -> list[str] | None:
    """The ids of the works of ``request``'s page from its researcher's ``row``
    (STORED_ROWS), its first ``first`` + 1, when the stored first page answers it
    (answers_page) and is written; else None, and the page is walked."""
    if row is None or row["pageIds"] is None or not answers_page(request):
        return None
    return list(row["pageIds"][: request.first + 1])
