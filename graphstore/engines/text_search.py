"""Full-text search over researchers, works, topics and institutions: one normalisation,
one set of candidate queries and one ranking for both engines.

- ``normalise`` (graphstore.text) folds text (Unicode NFKC, case, diacritics; every character
  that is not a letter, digit or spacing mark separates words) into space-separated words.
  Both engines index that folded text, and both engines' tokenizers only split it at its
  spaces (SQLite FTS5's ``ascii``, Neo4j's ``whitespace`` analyzer), so they hold the same
  words.
- ``SearchPlan`` turns user text into the same candidate stages for both engines (the title
  holds the phrase; the title holds every word; any field holds every word; any word), each
  matched by the engine's own full-text index. No stage's candidates depend on an engine's
  relevance: the title stages keep ``CANDIDATES`` in an order both engines compute alike
  (``Stage.cut_in_title_order``), the others count only when they are complete (at most
  ``CANDIDATES`` matches, ``Stage.complete_only``). ``SqliteTextIndex`` runs them on FTS5
  for the embedded engine; ``lucene_query`` writes them for Neo4j's Lucene index
  (``NEO4J_FULLTEXT_INDEX``).
- ``SearchPlan.rank`` orders the candidates: the one ranking rule, in Python, over the plain
  ``SearchCandidate`` records both engines return (schema/README.md states it), so both
  engines give the same answers.

User text is never handed to either query language as is: it is cut into folded words that
hold only letters, digits and marks, and queries are rebuilt from fixed syntax around them,
so quotes, operators, wildcards and words such as AND/OR/NOT/NEAR are only searched for.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from types import TracebackType
from typing import Final

from graphstore.protocol import SearchHit, SearchOrder, SearchRequest
from graphstore.records import WorkRow
from graphstore.text import folded, normalise

__all__ = [
    "CANDIDATES",
    "COUNT_BOUND",
    "IN_MEMORY",
    "NEO4J_FULLTEXT_INDEX",
    "NEO4J_FULLTEXT_INDEXES",
    "SEARCH_KINDS",
    "QueryTerms",
    "SearchCandidate",
    "SearchDocument",
    "SearchPlan",
    "SqliteTextIndex",
    "Stage",
    "TextSearchUnavailableError",
    "documents_for_works",
    "lucene_query",
    "neo4j_search_properties",
    "normalise",
    "query_terms",
]

SEARCH_KINDS: Final = ("researcher", "work", "topic", "institution")
"""The kinds of searchable documents: one per node label."""

IN_MEMORY: Final = ":memory:"
"""Path that makes ``SqliteTextIndex`` keep its index in memory."""

CANDIDATES: Final = 100
"""At most this many candidates a stage: a search's results are the best of at most four
times this many matches, and pages reach no further than them. A stage that holds every
word across title and abstract, or any word, brings its matches only when there are at most
this many (all of them: engines fetch one more to tell)."""

COUNT_BOUND: Final = 1000
"""Matches are counted up to this many: a total of COUNT_BOUND means at least that many."""

# Bounds on what one query may cost, whatever the user sends: text beyond _MAX_QUERY_CHARS is
# ignored, at most _MAX_TERMS terms are kept and a "word" longer than _MAX_TERM_CHARS is noise
# (no index holds such a token), so it is dropped rather than searched.
_MAX_QUERY_CHARS = 1000
_MAX_TERMS = 32
_MAX_PHRASE_WORDS = 64
_MAX_TERM_CHARS = 64
# A one-letter prefix would expand to a large share of the vocabulary; two letters is the least
# type-ahead that still narrows anything (and FTS5 keeps a prefix index for 2 and 3 letters).
_MIN_PREFIX_CHARS = 2


class TextSearchUnavailableError(RuntimeError):
    """The SQLite library Python is linked against has no FTS5."""


# --- normalisation -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """User text cut into folded words (``normalise``), each at most 64 characters.

    ``terms`` are the distinct words (at most 32), searched for one by one; ``phrase`` the
    words in order, repeats kept (at most 64), matched against titles as a phrase.
    ``prefix_last`` says the text ended inside its last word (the user is still typing it),
    so that word may match as a prefix; it ends both.
    """

    terms: tuple[str, ...]
    prefix_last: bool
    phrase: tuple[str, ...] = ()


def query_terms(text: str) -> QueryTerms:
    """Cut user text into its distinct words, in order; see ``QueryTerms``.

    Pure and total: any string (empty, blank, 10 kB, any unicode) gives a result, possibly
    with no terms.
    """
    truncated = len(text) > _MAX_QUERY_CHARS
    cut = folded(text[:_MAX_QUERY_CHARS])
    words = cut.split()
    kept = [word for word in words if len(word) <= _MAX_TERM_CHARS]
    # Keep each term's last occurrence, so the term being typed stays last.
    distinct = tuple(reversed(dict.fromkeys(reversed(kept))))[:_MAX_TERMS]
    prefix_last = (
        not truncated
        and bool(words)
        and bool(distinct)
        and not cut.endswith(" ")
        and distinct[-1] == words[-1]
        and len(words[-1]) >= _MIN_PREFIX_CHARS
    )
    return QueryTerms(distinct, prefix_last, tuple(kept[:_MAX_PHRASE_WORDS]))


# --- documents -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable node: its id, kind, the text it is found by, and what a work brings
    beside it (abstract, year, citations and its authors, whose works count ranks them).
    ``fills_in``: a document a work brings for a node it names (an author, an institution, a
    topic), indexed only when the node has none yet, as the node's own name is only filled in
    (writes.FILL_IN_RESEARCHER): a later work naming it another way changes neither."""

    id: str
    kind: str  # one of SEARCH_KINDS: "researcher" | "work" | "topic" | "institution"
    title: str  # a work's title; the name of a researcher, topic or institution
    body: str | None = None  # a work's abstract
    year: int | None = None
    citations: int = 0
    authors: tuple[str, ...] = ()
    fills_in: bool = False

    def __post_init__(self) -> None:
        if self.kind not in SEARCH_KINDS:
            raise ValueError(f"unknown search kind {self.kind!r}; expected one of {SEARCH_KINDS}")


def documents_for_works(rows: Sequence[WorkRow]) -> list[SearchDocument]:
    """The searchable documents a batch of imported works brings: the works themselves, their
    authors, institutions and topics (with the hierarchy levels above them)."""
    docs: dict[str, SearchDocument] = {}
    for row in rows:
        docs[row.id] = SearchDocument(
            row.id,
            "work",
            row.title,
            row.abstract,
            year=row.year,
            citations=row.cited_by_count,
            authors=tuple(dict.fromkeys(a.researcher_id for a in row.authorships)),
        )
        for authorship in row.authorships:
            docs.setdefault(
                authorship.researcher_id,
                SearchDocument(
                    authorship.researcher_id, "researcher", authorship.name, fills_in=True
                ),
            )
            for institution in authorship.institutions:
                docs.setdefault(
                    institution.id,
                    SearchDocument(institution.id, "institution", institution.name, fills_in=True),
                )
        for work_topic in row.topics:
            for level in (work_topic.topic, *work_topic.ancestors):
                docs.setdefault(
                    level.id, SearchDocument(level.id, "topic", level.name, fills_in=True)
                )
    return list(docs.values())


# --- candidates and the ranking ------------------------------------------------------------


class Stage(IntEnum):
    """The candidate queries, strictest first; each engine runs each on its own index."""

    TITLE_PHRASE = 0  # the title (or name) holds the words as a phrase
    TITLE_ALL = 1  # the title holds every word
    ALL_WORDS = 2  # title and abstract together hold every word
    TITLE_ALL_BUT_ONE = 3  # the title holds every word but one (SearchPlan.near_miss)
    ANY_WORD = 4  # any word anywhere

    @property
    def cut_in_title_order(self) -> bool:
        """Whether the engines keep this stage's first CANDIDATES by title length (fewest
        words), popularity (most) and id: the title stages, so that both engines keep the
        same ones."""
        return self <= Stage.TITLE_ALL

    @property
    def complete_only(self) -> bool:
        """Whether this stage's matches count only when all of them are fetched (at most
        CANDIDATES): the stages that match in abstracts. Which of more matches are best
        would be each engine's own relevance (Lucene's BM25 and FTS5's differ), and
        choosing by anything else reads every match, which Neo4j's index cannot do cheaply."""
        return not self.cut_in_title_order


@dataclass(frozen=True, slots=True)
class SearchCandidate:
    """What an engine returns for one match of one stage: plain values, no engine types.

    ``title`` is the indexed (normalised) title or name; ``popularity`` the citations of a
    work, the works count of a researcher, 0 otherwise.
    """

    id: str
    kind: str
    title: str
    year: int | None
    popularity: int


# Within a level: the share of the query's words the title holds plus the share of the title
# they cover (a short title that is mostly the query beats a long one that mentions it:
# BM25's length normalisation, on the title). Plus this much per natural log of popularity: a
# hundredfold popularity is worth about a tenth, enough to break near-ties (a title one word
# longer), never enough to cross a level.
_POPULARITY_WEIGHT = 0.02


# A hit's score is this times its level plus its relevance and prior (together below it).
_LEVEL_SCORE = 10
# The near-miss stage (SearchPlan.near_miss) runs for queries of 3 to 8 words: its query
# names every word but one, once for each word left out.
NEAR_MISS_WORDS = range(3, 9)


class _Level(IntEnum):
    ANY_WORD = 0
    ALL_WORDS = 1
    TITLE_ALL = 2
    TITLE_PHRASE = 3
    TITLE_STARTS = 4
    EXACT = 5


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """The candidate stages of one search and the ranking of what they find."""

    terms: QueryTerms
    kinds: tuple[str, ...]
    year_from: int | None
    year_to: int | None
    order: SearchOrder

    @classmethod
    def of(cls, request: SearchRequest) -> SearchPlan | None:
        """The plan for a request; None when it can match nothing (no words, no kinds)."""
        if request.first < 0 or request.offset < 0:
            raise ValueError("first and offset must not be negative")
        kinds: tuple[str, ...]
        if request.kinds is None:
            kinds = SEARCH_KINDS
        else:
            unknown = sorted(set(request.kinds) - set(SEARCH_KINDS))
            if unknown:
                raise ValueError(f"unknown search kinds {unknown}; expected some of {SEARCH_KINDS}")
            kinds = tuple(kind for kind in SEARCH_KINDS if kind in request.kinds)
        years = (request.year_from, request.year_to)
        if any(year is not None for year in years):
            kinds = tuple(kind for kind in kinds if kind == "work")
        terms = query_terms(request.query)
        if not terms.terms or not kinds:
            return None
        return cls(terms, kinds, request.year_from, request.year_to, request.order)

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages every search runs: one word needs no phrase of its own. The near miss
        runs after them, when they found nothing (near_miss)."""
        if len(self.terms.phrase) == 1:
            return (Stage.TITLE_ALL, Stage.ALL_WORDS, Stage.ANY_WORD)
        return tuple(stage for stage in Stage if stage != Stage.TITLE_ALL_BUT_ONE)

    def near_miss(self, found: Mapping[Stage, Sequence[SearchCandidate]], total: int) -> bool:
        """Whether to look for titles holding every word but one: a query of three to eight
        words (with two, that is any word) whose any-word matches are too many to rank (a
        complete any-word stage holds the near misses already) and whose other stages found
        nothing, as when a name is typed with a middle initial the indexed name lacks. Only then:
        on Neo4j it is a second round trip. Decided from the candidates, which both engines
        find alike."""
        if len(self.terms.terms) not in NEAR_MISS_WORDS or total <= CANDIDATES:
            return False
        return not any(
            candidates and _counted(stage, candidates) for stage, candidates in found.items()
        )

    @staticmethod
    def counts(stage: Stage, total: int) -> bool:
        """Whether a stage's candidates can change the ranking, given ``total`` any-word
        matches: the any-word stage only when complete; the title stages only when it is
        not (a complete any-word stage holds every match, and rank finds each one's level
        from its title)."""
        any_word_complete = total <= CANDIDATES
        if stage == Stage.ANY_WORD:
            return any_word_complete
        return not (stage.cut_in_title_order and any_word_complete)

    def rank(self, found: Mapping[Stage, Sequence[SearchCandidate]]) -> list[SearchHit]:
        """The candidates of every stage, de-duplicated and ordered: the ranking rule.

        RELEVANCE orders by match level (the exact title or name; the title starts with the
        words; holds them as a phrase; holds every word; title and abstract hold every word;
        any word), then by relevance with the popularity prior, then by id. Relevance is
        computed here from the title, the same on both engines (the engines' own BM25 is
        not used). A stage that matches in abstracts and found more than CANDIDATES (it was
        cut) is left out. A hit's score is ten times its level plus that relevance.
        MOST_CITED and NEWEST order by popularity or year first, then as RELEVANCE.
        """
        first_found: dict[str, tuple[Stage, SearchCandidate]] = {}
        for stage in sorted(found):
            if not _counted(stage, found[stage]):
                continue
            for candidate in found[stage]:
                first_found.setdefault(candidate.id, (stage, candidate))
        query = _TitleMatcher.of(self.terms)
        keyed = []
        for stage, candidate in first_found.values():
            level, relevance = query.level_and_relevance(stage, candidate.title.split())
            prior = _POPULARITY_WEIGHT * math.log1p(max(candidate.popularity, 0))
            score = round(_LEVEL_SCORE * level + relevance + prior, 9)
            relevant = (-score, candidate.id)
            if self.order is SearchOrder.MOST_CITED:
                key: tuple[object, ...] = (-candidate.popularity, *relevant)
            elif self.order is SearchOrder.NEWEST:
                key = (candidate.year is None, -(candidate.year or 0), *relevant)
            else:
                key = relevant
            keyed.append((key, SearchHit(candidate.id, candidate.kind, score)))
        keyed.sort(key=lambda pair: pair[0])
        return [hit for _, hit in keyed]


def _counted(stage: Stage, candidates: Sequence[SearchCandidate]) -> bool:
    """Whether a stage's candidates count: all of a stage cut in title order; those of a
    stage that matches in abstracts only when complete (Stage.complete_only)."""
    return not (stage.complete_only and len(candidates) > CANDIDATES)


@dataclass(frozen=True, slots=True)
class _TitleMatcher:
    """How a title meets the query's words, with what every title of one search needs
    computed once: a word matches a term when equal, and the last term as a prefix when it
    is still being typed."""

    terms: tuple[str, ...]
    term_set: frozenset[str]
    prefix: str | None  # the last term, when it matches as a prefix
    phrase: list[str]

    @classmethod
    def of(cls, terms: QueryTerms) -> _TitleMatcher:
        prefix = terms.terms[-1] if terms.prefix_last else None
        return cls(terms.terms, frozenset(terms.terms), prefix, list(terms.phrase))

    def level_and_relevance(self, stage: Stage, title_words: list[str]) -> tuple[_Level, float]:
        """The title's level, from the title itself whichever stage found it (a complete
        any-word stage holds the title matches too, and the level must not depend on which
        stages ran), and its relevance: the share of the query's words in the title plus
        the share of the title's words that are query words, each in [0, 1]."""
        if not title_words:
            return (_Level.ALL_WORDS if stage <= Stage.ALL_WORDS else _Level.ANY_WORD), 0.0
        in_title = set(title_words)
        # The terms are distinct: those the title holds are the common ones.
        held = len(self.term_set & in_title)
        prefix = self.prefix
        if prefix is None:
            covered = sum(map(self.term_set.__contains__, title_words))
        else:
            covered, extended = 0, False
            for word in title_words:
                if word.startswith(prefix):
                    covered, extended = covered + 1, True
                elif word in self.term_set:
                    covered += 1
            # A longer word holds the term being typed when the title lacks the term itself.
            held += extended and prefix not in in_title
        relevance = held / len(self.terms) + covered / len(title_words)
        if title_words == self.phrase:
            return _Level.EXACT, relevance
        if held < len(self.terms):
            return (_Level.ALL_WORDS if stage <= Stage.ALL_WORDS else _Level.ANY_WORD), relevance
        if self._phrase_at(title_words, 0):
            return _Level.TITLE_STARTS, relevance
        if any(self._phrase_at(title_words, at) for at in range(1, len(title_words))):
            return _Level.TITLE_PHRASE, relevance
        return _Level.TITLE_ALL, relevance

    def _phrase_at(self, title_words: list[str], at: int) -> bool:
        words = self.phrase
        window = title_words[at : at + len(words)]
        if len(window) < len(words) or window[:-1] != words[:-1]:
            return False
        last = window[-1]
        return last == words[-1] or (self.prefix is not None and last.startswith(words[-1]))


# --- SQLite FTS5 (embedded engine) ---------------------------------------------------------

# search_node maps the stable string id to the FTS5 rowid, so replacing or deleting one
# document is an index lookup rather than a scan; it holds what the ranking and filters read.
# search_author lists each work's authors: a researcher's works count is its rows, kept in
# search_node.popularity (_SET_POPULARITY) whenever they change, so a search reads one value
# a match.
# The text is stored normalised, so the ascii tokenizer only splits it at its spaces (it
# takes every non-ASCII character as part of a word). The tables of the index before this
# one (search_doc, search_fts) are dropped: they held unnormalised text.
_SCHEMA = f"""
DROP TABLE IF EXISTS search_fts;
DROP TABLE IF EXISTS search_doc;
CREATE TABLE IF NOT EXISTS search_node (
    doc_key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    year INTEGER,
    citations INTEGER NOT NULL,
    title_words INTEGER NOT NULL,
    popularity INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS search_author (
    work_key INTEGER NOT NULL,
    researcher_id TEXT NOT NULL,
    PRIMARY KEY (work_key, researcher_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_author_researcher ON search_author (researcher_id);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
    title,
    body,
    tokenize = 'ascii',
    prefix = '{_MIN_PREFIX_CHARS} 3'
);
"""

# The kinds filter always binds len(SEARCH_KINDS) values, unused ones as NULL (which IN never
# matches), so the SQL text is fixed and no statement is ever assembled from input.
_KIND_SLOTS = ", ".join("?" for _ in SEARCH_KINDS)
_FILTERED_MATCH = f"""
FROM search_text JOIN search_node AS d ON d.doc_key = search_text.rowid
WHERE search_text MATCH ? AND d.kind IN ({_KIND_SLOTS})
  AND (? IS NULL OR d.year >= ?) AND (? IS NULL OR d.year <= ?)
"""
# The popularity of the documents named in the temporary table `affected`: a work's
# citations, a researcher's works in the index, 0 otherwise.
_SET_POPULARITY = """
UPDATE search_node SET popularity = CASE kind WHEN 'work' THEN citations
    WHEN 'researcher' THEN
        (SELECT count(*) FROM search_author AS a WHERE a.researcher_id = search_node.id)
    ELSE 0 END
WHERE id IN (SELECT id FROM affected)
"""
# A stage's candidates, then only those few read their title: the title stages' first
# CANDIDATES in an order both engines compute alike (fewest title words, most popular, id);
# the others' first CANDIDATES + 1 in any order, as only a complete stage counts
# (Stage.complete_only).
_CANDIDATES_SQL = {
    in_title_order: f"""
SELECT d.id, d.kind, f.title, d.year, d.popularity
FROM (SELECT d.doc_key AS doc_key {_FILTERED_MATCH} {cut}) AS m
JOIN search_node AS d ON d.doc_key = m.doc_key
JOIN search_text AS f ON f.rowid = m.doc_key
"""  # noqa: S608
    for in_title_order, cut in (
        (True, f"ORDER BY d.title_words, d.popularity DESC, d.id LIMIT {CANDIDATES}"),
        (False, f"LIMIT {CANDIDATES + 1}"),
    )
}
# The any-word stage's first CANDIDATES + 1, each marked when it holds every word (the first
# parameter, the all-words query): when they are all, this is the whole search.
_ANY_WORD_SQL = f"""
SELECT d.id, d.kind, search_text.title, d.year, d.popularity,
    search_text.rowid IN (SELECT rowid FROM search_text WHERE search_text MATCH ?) AS every_word
{_FILTERED_MATCH} LIMIT {CANDIDATES + 1}
"""  # noqa: S608
# No order asked, so FTS5 stops at the bound instead of ranking every match.
_COUNT_SQL = f"SELECT count(*) FROM (SELECT 1 {_FILTERED_MATCH} LIMIT {COUNT_BOUND})"  # noqa: S608


def _fts5_string(term: str) -> str:
    # Inside an FTS5 string every character is literal except '"', which is doubled. Terms
    # hold no quotes (see QueryTerms), but the escape keeps this safe on its own.
    return '"' + term.replace('"', '""') + '"'


def fts5_query(plan: SearchPlan, stage: Stage) -> str:
    """The FTS5 query of one stage."""
    words = plan.terms.terms
    parts = [_fts5_string(term) for term in words]
    if plan.terms.prefix_last:
        # The term being typed matches itself or any longer word: "robu" finds "robustness".
        parts[-1] += "*"
    if stage == Stage.TITLE_PHRASE:
        return "{title} : " + _fts5_string(" ".join(plan.terms.phrase))
    if stage == Stage.TITLE_ALL:
        return "{title} : (" + " AND ".join(parts) + ")"
    if stage == Stage.TITLE_ALL_BUT_ONE:
        kept = [f"({' AND '.join(each)})" for each in _but_one(parts)]
        return "{title} : (" + " OR ".join(kept) + ")"
    return (" AND " if stage == Stage.ALL_WORDS else " OR ").join(parts)


def _but_one(parts: Sequence[str]) -> list[list[str]]:
    """Every way of leaving one of ``parts`` out, in order."""
    return [[*parts[:left_out], *parts[left_out + 1 :]] for left_out in range(len(parts))]


class SqliteTextIndex:
    """A full-text index of ``SearchDocument`` on SQLite FTS5, for the embedded engine.

    ``path`` is the index file (beside the embedded database) or ``":memory:"``. Methods are
    synchronous and may be called from several threads (e.g. via ``asyncio.to_thread``): one
    connection serves them all, one call at a time behind a lock. Calls are short (one batch
    or one search), and an in-memory database cannot be shared between connections anyway.
    """

    def __init__(self, path: Path | str) -> None:
        target = path if path == IN_MEMORY else str(Path(path))
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(target, check_same_thread=False)
        try:
            self._conn.executescript(_SCHEMA)
        except sqlite3.OperationalError as error:
            self._conn.close()
            if "fts5" in str(error).lower():
                raise TextSearchUnavailableError(
                    f"SQLite {sqlite3.sqlite_version} has no FTS5 full-text search: {error}"
                ) from error
            raise
        self._add_popularity()

    def _add_popularity(self) -> None:
        """Give an index written before search_node.popularity existed its column, filled."""
        names = {row[1] for row in self._conn.execute("PRAGMA table_info(search_node)")}
        if "popularity" in names:
            return
        with self._conn:
            self._conn.execute(
                "ALTER TABLE search_node ADD COLUMN popularity INTEGER NOT NULL DEFAULT 0"
            )
            self._conn.execute("CREATE TEMP TABLE affected AS SELECT id FROM search_node")
            self._conn.execute(_SET_POPULARITY)
            self._conn.execute("DROP TABLE affected")

    def __enter__(self) -> SqliteTextIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        """Index ``docs``, replacing any document with the same id; one transaction.

        Set-based: the batch goes into a temporary table, then a few statements replace what
        it names, so an import's tens of thousands of documents cost a few statements, not a
        few per document.
        """
        latest = {doc.id: doc for doc in docs}
        rows = [
            (
                doc.id,
                doc.kind,
                title,
                normalise(doc.body),
                doc.year,
                doc.citations,
                len(title.split()),
                doc.fills_in,
            )
            for doc in latest.values()
            for title in [normalise(doc.title)]
        ]
        authors = [(doc.id, author) for doc in latest.values() for author in doc.authors]
        with self._lock, self._conn:
            self._conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS batch (id TEXT PRIMARY KEY, kind TEXT, "
                "title TEXT, body TEXT, year INTEGER, citations INTEGER, title_words INTEGER, "
                "fills_in INTEGER)"
            )
            self._conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS batch_author (id TEXT, researcher_id TEXT)"
            )
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS affected (id TEXT PRIMARY KEY)")
            self._conn.execute("DELETE FROM batch")
            self._conn.execute("DELETE FROM batch_author")
            self._conn.execute("DELETE FROM affected")
            self._conn.executemany("INSERT INTO batch VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            # A node a work names keeps the document it has (SearchDocument.fills_in).
            self._conn.execute(
                "DELETE FROM batch WHERE fills_in AND id IN (SELECT id FROM search_node)"
            )
            self._conn.executemany("INSERT INTO batch_author VALUES (?, ?)", authors)
            # A document indexed already with the same values is left alone: an import names
            # a prolific author in batch after batch, and rewriting FTS5 rows is its cost.
            self._conn.execute(
                "DELETE FROM batch WHERE EXISTS (SELECT 1 FROM search_node AS d "
                "JOIN search_text AS f ON f.rowid = d.doc_key WHERE d.id = batch.id "
                "AND d.kind = batch.kind AND f.title IS batch.title AND f.body IS batch.body "
                "AND d.year IS batch.year AND d.citations = batch.citations) "
                # Not correlated: SQLite indexes the list once (a correlated NOT EXISTS
                # scanned batch_author for every document, quadratic in the batch).
                "AND batch.id NOT IN (SELECT id FROM batch_author)"
            )
            self._conn.execute(
                "DELETE FROM search_text WHERE rowid IN "
                "(SELECT d.doc_key FROM search_node AS d JOIN batch AS b ON b.id = d.id)"
            )
            # The documents whose popularity may change: the batch's, the authors its works
            # name now and the ones they named before.
            self._conn.execute(
                "INSERT OR IGNORE INTO affected SELECT id FROM batch "
                "UNION SELECT researcher_id FROM batch_author "
                "UNION SELECT a.researcher_id FROM search_author AS a "
                "JOIN search_node AS d ON d.doc_key = a.work_key JOIN batch AS b ON b.id = d.id"
            )
            self._conn.execute(
                "DELETE FROM search_author WHERE work_key IN "
                "(SELECT d.doc_key FROM search_node AS d JOIN batch AS b ON b.id = d.id)"
            )
            self._conn.execute(
                "INSERT INTO search_node (id, kind, year, citations, title_words) "
                "SELECT id, kind, year, citations, title_words FROM batch WHERE true "
                "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, year = excluded.year, "
                "citations = excluded.citations, title_words = excluded.title_words"
            )
            # In rowid order: FTS5 flushes its pending terms to a new segment whenever a rowid
            # comes below the last one, and re-indexed documents keep their old rowids; out of
            # order, a conference-graph import took twice as long (bench/README.md).
            self._conn.execute(
                "INSERT INTO search_text (rowid, title, body) SELECT d.doc_key, b.title, b.body "
                "FROM batch AS b JOIN search_node AS d ON d.id = b.id ORDER BY d.doc_key"
            )
            self._conn.execute(
                "INSERT OR IGNORE INTO search_author (work_key, researcher_id) "
                "SELECT d.doc_key, a.researcher_id FROM batch_author AS a "
                "JOIN batch AS b ON b.id = a.id JOIN search_node AS d ON d.id = a.id"
            )
            self._conn.execute(_SET_POPULARITY)
            self._conn.execute("DELETE FROM batch")
            self._conn.execute("DELETE FROM batch_author")
            self._conn.execute("DELETE FROM affected")

    def clear(self) -> None:
        """Remove every document."""
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM search_text")
            self._conn.execute("DELETE FROM search_author")
            self._conn.execute("DELETE FROM search_node")

    def delete(self, ids: Sequence[str]) -> None:
        """Remove the documents with these ids; unknown ids are ignored. One transaction."""
        with self._lock, self._conn:
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS affected (id TEXT PRIMARY KEY)")
            self._conn.execute("DELETE FROM affected")
            for doc_id in ids:
                row = self._conn.execute(
                    "SELECT doc_key FROM search_node WHERE id = ?", (doc_id,)
                ).fetchone()
                if row is not None:
                    # A deleted work's authors have one work fewer.
                    self._conn.execute(
                        "INSERT OR IGNORE INTO affected "
                        "SELECT researcher_id FROM search_author WHERE work_key = ?",
                        (row[0],),
                    )
                    self._conn.execute("DELETE FROM search_text WHERE rowid = ?", (row[0],))
                    self._conn.execute("DELETE FROM search_author WHERE work_key = ?", (row[0],))
                    self._conn.execute("DELETE FROM search_node WHERE doc_key = ?", (row[0],))
            self._conn.execute(_SET_POPULARITY)
            self._conn.execute("DELETE FROM affected")

    def search(self, request: SearchRequest) -> tuple[list[SearchHit], int]:
        """One page of the documents matching the request, ranked by ``SearchPlan.rank``,
        and how many match (up to COUNT_BOUND). Any text is safe; no words give ``([], 0)``."""
        plan = SearchPlan.of(request)
        if plan is None:
            return [], 0
        kinds = (*plan.kinds, *([None] * (len(SEARCH_KINDS) - len(plan.kinds))))
        years = (plan.year_from, plan.year_from, plan.year_to, plan.year_to)
        filters = (*kinds, *years)
        any_word = fts5_query(plan, Stage.ANY_WORD)
        found: dict[Stage, list[SearchCandidate]] = {Stage.ALL_WORDS: [], Stage.ANY_WORD: []}
        with self._lock:
            # Most searches match few documents: one statement finds all of them.
            rows = self._conn.execute(
                _ANY_WORD_SQL, (fts5_query(plan, Stage.ALL_WORDS), any_word, *filters)
            ).fetchall()
            total = len(rows)
            if total > CANDIDATES:
                total = self._conn.execute(_COUNT_SQL, (any_word, *filters)).fetchone()[0]
            if total == 0 or request.first == 0:
                return [], total
            if plan.counts(Stage.ANY_WORD, total):
                for *candidate, every_word in rows:
                    stage = Stage.ALL_WORDS if every_word else Stage.ANY_WORD
                    found[stage].append(SearchCandidate(*candidate))
            else:
                for stage in plan.stages:
                    if plan.counts(stage, total):
                        found[stage] = self._candidates(plan, stage, filters)
                if plan.near_miss(found, total):
                    near = Stage.TITLE_ALL_BUT_ONE
                    found[near] = self._candidates(plan, near, filters)
        ranked = plan.rank(found)
        return ranked[request.offset : request.offset + request.first], total

    def _candidates(
        self, plan: SearchPlan, stage: Stage, filters: tuple[object, ...]
    ) -> list[SearchCandidate]:
        """One stage's candidates (_CANDIDATES_SQL); the caller holds the lock."""
        sql = _CANDIDATES_SQL[stage.cut_in_title_order]
        rows = self._conn.execute(sql, (fts5_query(plan, stage), *filters))
        return [SearchCandidate(*row) for row in rows]

    def close(self) -> None:
        """Close the index; closing twice is harmless."""
        with self._lock:
            self._conn.close()


# --- Neo4j / Lucene (production engine) ----------------------------------------------------

NEO4J_FULLTEXT_INDEX: Final = "researchgraph_text"
"""Name of the Neo4j full-text index, for ``db.index.fulltext.queryNodes``."""

# Every searchable node carries the normalised text as searchTitle (a work's title, the name
# of the others) and searchBody (a work's abstract), searchLength (the title's words, to cut
# the title stages as SqliteTextIndex does), with searchKind and, for works,
# searchYear (four digits, so a range of strings is a range of years); Neo4jStore writes them
# with the graph. The whitespace analyzer keeps the words normalise made, as FTS5's ascii
# tokenizer does. The index before this one (on the raw properties, with Lucene's own
# folding and stop words) is dropped.
NEO4J_FULLTEXT_INDEXES: Final = (
    "DROP INDEX researchgraph_search IF EXISTS",
    f"CREATE FULLTEXT INDEX {NEO4J_FULLTEXT_INDEX} IF NOT EXISTS "
    "FOR (n:Researcher|Work|Topic|Institution) "
    "ON EACH [n.searchTitle, n.searchBody, n.searchKind, n.searchYear] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
)
"""Statements that create the Neo4j full-text search index; each is idempotent."""


def search_year(year: int | None) -> str | None:
    """A year as the index holds it: four digits, so that strings sort as years."""
    return None if year is None else f"{year:04d}"


def neo4j_search_properties(doc: SearchDocument) -> dict[str, str | int | None]:
    """The search properties (above) a document's node carries in Neo4j, by property name:
    what ``Neo4jStore`` sets with the graph and the bulk load's files hold."""
    title = normalise(doc.title)
    return {
        "searchTitle": title,
        "searchBody": normalise(doc.body) or None,
        "searchKind": doc.kind,
        "searchYear": search_year(doc.year),
        "searchLength": len(title.split()),
    }


def lucene_query(plan: SearchPlan, stage: Stage) -> str:
    """The Lucene query (for Neo4j's full-text index) of one stage, with the plan's filters.

    The words hold only letters, digits and marks, lowercase, so none is Lucene syntax and
    nothing needs escaping. For words ``a b c`` where ``c`` is still being typed, the all-words
    stage is ``+(searchTitle:a searchBody:a) +(...) +(searchTitle:c* searchBody:c*)``; filters
    are required clauses boosted by 0, so they choose but do not score (no stage's
    candidates depend on the score; see Stage).
    """
    words = list(plan.terms.terms)
    matches = list(words)
    if plan.terms.prefix_last:
        # The term being typed matches itself or any longer word, as in FTS5's query.
        matches[-1] = f"{words[-1]}*"
    if stage == Stage.TITLE_PHRASE:
        query = f'+searchTitle:"{" ".join(plan.terms.phrase)}"'
    elif stage == Stage.TITLE_ALL:
        query = " ".join(f"+searchTitle:{m}" for m in matches)
    elif stage == Stage.TITLE_ALL_BUT_ONE:
        each = [" ".join(f"+searchTitle:{m}" for m in kept) for kept in _but_one(matches)]
        query = f"+({' '.join(f'({clause})' for clause in each)})"
    else:
        each = [f"(searchTitle:{m} searchBody:{m})" for m in matches]
        query = (
            " ".join(f"+{clause}" for clause in each)
            if stage == Stage.ALL_WORDS
            else f"+({' '.join(each)})"
        )
    filters = []
    if plan.kinds != SEARCH_KINDS:
        filters.append(f"+searchKind:({' '.join(plan.kinds)})^0")
    if plan.year_from is not None or plan.year_to is not None:
        low = search_year(plan.year_from) or "*"
        high = search_year(plan.year_to) or "*"
        filters.append(f"+searchYear:[{low} TO {high}]^0")
    return " ".join([query, *filters])
