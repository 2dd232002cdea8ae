"""Full-text search over researchers, works, topics and institutions.

Two engines, one behaviour:

- ``SqliteTextIndex``: a real full-text index on SQLite FTS5 for the embedded engine, whose own
  FTS extension is downloaded at install time and so is missing offline. The index file lives
  beside the embedded database.
- Neo4j (production) searches its own Lucene full-text index: ``NEO4J_FULLTEXT_INDEXES`` creates
  it and ``lucene_query`` turns user text into a query for ``db.index.fulltext.queryNodes``.

User text is never handed to either query language as is. Both paths cut it into the same plain
terms (``query_terms``) and rebuild a query from fixed syntax around them, so quotes, operators,
wildcards, brackets and words such as AND/OR/NOT/NEAR are only ever searched for, never obeyed.
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Final

from graphstore.protocol import SearchHit
from graphstore.records import WorkRow

__all__ = [
    "IN_MEMORY",
    "NEO4J_FULLTEXT_INDEX",
    "NEO4J_FULLTEXT_INDEXES",
    "SEARCH_KINDS",
    "QueryTerms",
    "SearchDocument",
    "SqliteTextIndex",
    "TextSearchUnavailableError",
    "documents_for_works",
    "lucene_query",
    "query_terms",
]

SEARCH_KINDS: Final = ("researcher", "work", "topic", "institution")
"""The kinds of searchable documents: one per node label."""

IN_MEMORY: Final = ":memory:"
"""Path that makes ``SqliteTextIndex`` keep its index in memory."""

# Bounds on what one query may cost, whatever the user sends: text beyond _MAX_QUERY_CHARS is
# ignored, at most _MAX_TERMS terms are kept and a "word" longer than _MAX_TERM_CHARS is noise
# (no index holds such a token), so it is dropped rather than searched.
_MAX_QUERY_CHARS = 1000
_MAX_TERMS = 32
_MAX_TERM_CHARS = 64
# A one-letter prefix would expand to a large share of the vocabulary; two letters is the least
# type-ahead that still narrows anything (and FTS5 keeps a prefix index for 2 and 3 letters).
_MIN_PREFIX_CHARS = 2

# Characters that join letters into one word when they stand between two of them, as Lucene's
# standard tokenizer (Unicode word boundaries) does: "O'Brien", "U.S.A", "3.14", "snake_case".
# None of them is special in Lucene's query syntax, and inside an FTS5 string they are harmless
# (FTS5's tokenizer splits there and the quoted string becomes a phrase of the pieces).
_JOINERS = frozenset("'\u2019._")


class TextSearchUnavailableError(RuntimeError):
    """The SQLite library Python is linked against has no FTS5."""


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable node: its id, kind, the text it is found by, and a work's abstract."""

    id: str
    kind: str  # one of SEARCH_KINDS: "researcher" | "work" | "topic" | "institution"
    title: str  # a work's title; the name of a researcher, topic or institution
    body: str | None = None  # a work's abstract

    def __post_init__(self) -> None:
        if self.kind not in SEARCH_KINDS:
            raise ValueError(f"unknown search kind {self.kind!r}; expected one of {SEARCH_KINDS}")


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """User text cut into plain search terms.

    Every term starts with a letter or digit and holds only letters, digits, combining marks
    and, between two of those, the joiners ``' . _`` and U+2019 (the typographic apostrophe).
    ``prefix_last`` says the text ended inside its last term (the user is still typing it), so
    that term may match as a prefix.
    """

    terms: tuple[str, ...]
    prefix_last: bool


def _is_word_start(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _is_word_part(ch: str) -> bool:
    # Combining marks (M*) continue a word: scripts such as Devanagari write vowels as marks,
    # and splitting there would cut every word into letters.
    return unicodedata.category(ch)[0] in "LNM"


def query_terms(text: str) -> QueryTerms:
    """Cut user text into at most 32 distinct plain terms, in order; see ``QueryTerms``.

    Pure and total: any string (empty, blank, 10 kB, any unicode) gives a result, possibly
    with no terms.
    """
    truncated = len(text) > _MAX_QUERY_CHARS
    # NFKC folds compatibility forms (ligatures, full-width letters) into what documents
    # hold; the index applies the same normalisation to the text it stores.
    chars = unicodedata.normalize("NFKC", text[:_MAX_QUERY_CHARS])
    found: list[str] = []
    last_at_end = False
    i, n = 0, len(chars)
    while i < n and len(found) < _MAX_TERMS:
        if not _is_word_start(chars[i]):
            i += 1
            continue
        start = i
        i += 1
        while i < n:
            if _is_word_part(chars[i]):
                i += 1
            elif chars[i] in _JOINERS and i + 1 < n and _is_word_start(chars[i + 1]):
                i += 2
            else:
                break
        term = chars[start:i]
        if len(term) <= _MAX_TERM_CHARS:
            found.append(term)
            last_at_end = i == n
        else:
            last_at_end = False
    # Keep each term's last occurrence, so the term being typed stays last.
    distinct = tuple(reversed(dict.fromkeys(reversed(found))))
    prefix_last = (
        last_at_end and not truncated and bool(distinct) and len(distinct[-1]) >= _MIN_PREFIX_CHARS
    )
    return QueryTerms(distinct, prefix_last)


# --- SQLite FTS5 (embedded engine) ---------------------------------------------------------

# bm25 column weights, in the order of the search_fts columns: a hit in a title (or a name)
# says more about a document than the same hit somewhere in a long abstract.
_TITLE_WEIGHT = 5.0
_BODY_WEIGHT = 1.0

# search_doc maps the stable string id to the FTS5 rowid, so replacing or deleting one
# document is an index lookup rather than a scan of the FTS table's unindexed columns.
# unicode61 with remove_diacritics 2 folds case and every diacritic ("Müller" = "muller");
# the prefix indexes make type-ahead on 2 and 3 letters a single lookup.
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS search_doc (
    doc_key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '{_MIN_PREFIX_CHARS} 3'
);
"""

# The kinds filter always binds len(SEARCH_KINDS) values, unused ones as NULL (which IN never
# matches), so the SQL text is fixed and no statement is ever assembled from input.
_KIND_SLOTS = ", ".join("?" for _ in SEARCH_KINDS)
_FROM_MATCH = f"""
FROM search_fts JOIN search_doc AS d ON d.doc_key = search_fts.rowid
WHERE search_fts MATCH ? AND d.kind IN ({_KIND_SLOTS})
"""
# bm25() is lower for better matches; ties go by id so equal scores page deterministically.
_SEARCH_SQL = f"""
SELECT d.id, d.kind, bm25(search_fts, {_TITLE_WEIGHT}, {_BODY_WEIGHT}) AS rank
{_FROM_MATCH}
ORDER BY rank, d.id
LIMIT ? OFFSET ?
"""
_COUNT_SQL = f"SELECT count(*) {_FROM_MATCH}"


def _fts5_string(term: str) -> str:
    # Inside an FTS5 string every character is literal except '"', which is doubled. Terms
    # hold no quotes (see QueryTerms), but the escape keeps this safe on its own.
    return '"' + term.replace('"', '""') + '"'


def _fts5_queries(terms: QueryTerms) -> list[str]:
    """The FTS5 query: any term (OR), so bm25 ranks documents holding more (and rarer) terms
    first without losing those that hold only some, as Lucene's default OR does on Neo4j."""
    if not terms.terms:
        return []
    parts = [_fts5_string(term) for term in terms.terms]
    if terms.prefix_last:
        # The term being typed matches itself or any longer word: "robu" finds "robustness".
        parts[-1] += "*"
    return [" OR ".join(parts)]


def _normalized(text: str | None) -> str | None:
    # The same NFKC folding as query_terms, so "ﬁnance" in a title matches "finance" typed.
    return None if text is None else unicodedata.normalize("NFKC", text)


class SqliteTextIndex:
    """A full-text index of ``SearchDocument`` on SQLite FTS5, for the embedded engine.

    ``path`` is the index file (beside the embedded database) or ``":memory:"``. Methods are
    synchronous and may be called from several threads (e.g. via ``asyncio.to_thread``): one
    connection serves them all, one call at a time behind a lock. Calls are short (one batch
    or one page), and an in-memory database cannot be shared between connections anyway.
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

        Set-based: the batch goes into a temporary table, then three statements replace what
        it names, so an import's tens of thousands of documents cost a few statements, not a
        few per document.
        """
        latest = {doc.id: doc for doc in docs}
        rows = [
            (doc.id, doc.kind, _normalized(doc.title), _normalized(doc.body))
            for doc in latest.values()
        ]
        with self._lock, self._conn:
            self._conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS batch "
                "(id TEXT PRIMARY KEY, kind TEXT, title TEXT, body TEXT)"
            )
            self._conn.execute("DELETE FROM batch")
            self._conn.executemany("INSERT INTO batch VALUES (?, ?, ?, ?)", rows)
            # A document indexed already with the same text is left alone: an import names
            # a prolific author in batch after batch, and rewriting FTS5 rows is its cost.
            self._conn.execute(
                "DELETE FROM batch WHERE EXISTS (SELECT 1 FROM search_doc AS d "
                "JOIN search_fts AS f ON f.rowid = d.doc_key WHERE d.id = batch.id "
                "AND d.kind = batch.kind AND f.title IS batch.title AND f.body IS batch.body)"
            )
            self._conn.execute(
                "DELETE FROM search_fts WHERE rowid IN "
                "(SELECT d.doc_key FROM search_doc AS d JOIN batch AS b ON b.id = d.id)"
            )
            self._conn.execute(
                "INSERT INTO search_doc (id, kind) SELECT id, kind FROM batch WHERE true "
                "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind"
            )
            # In rowid order: FTS5 flushes its pending terms to a new segment whenever a rowid
            # comes below the last one, and re-indexed documents keep their old rowids; out of
            # order, a conference-graph import took twice as long (bench/README.md).
            self._conn.execute(
                "INSERT INTO search_fts (rowid, title, body) SELECT d.doc_key, b.title, b.body "
                "FROM batch AS b JOIN search_doc AS d ON d.id = b.id ORDER BY d.doc_key"
            )
            self._conn.execute("DELETE FROM batch")

    def clear(self) -> None:
        """Remove every document."""
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM search_fts")
            self._conn.execute("DELETE FROM search_doc")

    def delete(self, ids: Sequence[str]) -> None:
        """Remove the documents with these ids; unknown ids are ignored. One transaction."""
        with self._lock, self._conn:
            for doc_id in ids:
                row = self._conn.execute(
                    "SELECT doc_key FROM search_doc WHERE id = ?", (doc_id,)
                ).fetchone()
                if row is not None:
                    self._conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[0],))
                    self._conn.execute("DELETE FROM search_doc WHERE doc_key = ?", (row[0],))

    def search(
        self, query: str, kinds: Sequence[str] | None, first: int, offset: int
    ) -> tuple[list[SearchHit], int]:
        """One page of the documents matching ``query``, best first, and how many match.

        Documents holding any term are returned, ranked by bm25 so that more (and rarer)
        terms come first. The last term also
        matches as a prefix when the text ends inside it. ``kinds`` None means every kind; an
        empty ``kinds`` matches nothing. Any text is safe; blank text gives ``([], 0)``.
        """
        if first < 0 or offset < 0:
            raise ValueError("first and offset must not be negative")
        wanted = _kind_slots(kinds)
        queries = _fts5_queries(query_terms(query))
        if not queries or all(kind is None for kind in wanted):
            return [], 0
        with self._lock:
            for fts_query in queries:
                params = (fts_query, *wanted)
                total: int = self._conn.execute(_COUNT_SQL, params).fetchone()[0]
                if total == 0:
                    continue
                if first == 0:
                    return [], total
                rows = self._conn.execute(_SEARCH_SQL, (*params, first, offset)).fetchall()
                # bm25 is negative, lower is better; hits carry "higher is better".
                hits = [SearchHit(id=row[0], kind=row[1], score=-row[2]) for row in rows]
                return hits, total
        return [], 0

    def close(self) -> None:
        """Close the index; closing twice is harmless."""
        with self._lock:
            self._conn.close()


def _kind_slots(kinds: Sequence[str] | None) -> tuple[str | None, ...]:
    """The values bound to the kinds filter: the wanted kinds, padded with NULL."""
    if kinds is None:
        return SEARCH_KINDS
    unknown = sorted(set(kinds) - set(SEARCH_KINDS))
    if unknown:
        raise ValueError(f"unknown search kinds {unknown}; expected some of {SEARCH_KINDS}")
    wanted = [kind for kind in SEARCH_KINDS if kind in kinds]
    return (*wanted, *([None] * (len(SEARCH_KINDS) - len(wanted))))


# --- Neo4j / Lucene (production engine) ----------------------------------------------------

NEO4J_FULLTEXT_INDEX: Final = "researchgraph_search"
"""Name of the Neo4j full-text index, for ``db.index.fulltext.queryNodes``."""

# Researcher, Topic and Institution nodes carry `name`; Work nodes carry `title` and `abstract`.
# The analyzer is pinned rather than left to the server's default (standard-no-stop-words):
# standard-folding is the same tokenizer plus ASCII folding, which matches the embedded index's
# remove_diacritics ("Muller" finds "Müller"), and names need that more than anything. It also
# drops 33 English stop words (the, of, not, ...) on both sides; the embedded index keeps them,
# a difference that only shows in queries made mostly of such words.
NEO4J_FULLTEXT_INDEXES: Final = (
    f"CREATE FULLTEXT INDEX {NEO4J_FULLTEXT_INDEX} IF NOT EXISTS "
    "FOR (n:Researcher|Work|Topic|Institution) ON EACH [n.name, n.title, n.abstract] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
)
"""Statements that create the Neo4j full-text search index; each is idempotent."""

# Uppercase AND, OR and NOT (and TO, inside ranges) are operators in Lucene's classic query
# parser; lowercase they are plain words, and the analyzer lowercases every term anyway.
_LUCENE_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
# Documents holding every term get this boost on top of their per-term scores, the exact
# phrase gets _PHRASE_BOOST: enough to put them ahead of partial matches in practice.
_ALL_TERMS_BOOST = 4
_PHRASE_BOOST = 2


def lucene_query(text: str, *, require_all: bool = False) -> str | None:
    """A Lucene query (for Neo4j's full-text index) that searches ``text`` as plain terms.

    None for text without any term (blank, only punctuation). The result holds only the
    terms of ``query_terms`` (which contain no Lucene special character, and operator words
    lowercased) inside fixed syntax. For terms ``a b c`` where ``c`` is still being typed::

        (+a +b +(c c*))^4 a b (c c*) "a b c"^2

    One query ranks like the embedded engine's AND-then-OR: every term is optional, so partial
    matches are still found, but documents with all terms score the boosted conjunction on top
    and the exact phrase scores more again. ``require_all=True`` keeps only documents with every
    term (``+a +b +(c c*) "a b c"^2``), for a caller that wants strict AND first and falls back
    to the default query when it finds nothing, exactly as ``SqliteTextIndex.search`` does.
    """
    parsed = query_terms(text)
    if not parsed.terms:
        return None
    # Every term is kept whole: term characters are letters, digits, marks and the joiners
    # ' . _ and U+2019, none of which Lucene's parser treats as syntax, so nothing needs escaping.
    words = [term.lower() if term in _LUCENE_OPERATORS else term for term in parsed.terms]
    clauses = list(words)
    if parsed.prefix_last:
        # The term itself scores like any term; the prefix query (constant score) adds the
        # longer words it may become.
        clauses[-1] = f"({words[-1]} {words[-1]}*)"
    required = " ".join(f"+{clause}" for clause in clauses)
    if len(words) == 1:
        return required if require_all else clauses[0]
    phrase = f'"{" ".join(words)}"^{_PHRASE_BOOST}'
    if require_all:
        return f"{required} {phrase}"
    return f"({required})^{_ALL_TERMS_BOOST} {' '.join(clauses)} {phrase}"


def documents_for_works(rows: Sequence[WorkRow]) -> list[SearchDocument]:
    """The searchable documents a batch of imported works brings: the works themselves, their
    authors, institutions and topics (with the hierarchy levels above them)."""
    docs: dict[str, SearchDocument] = {}
    for row in rows:
        docs[row.id] = SearchDocument(row.id, "work", row.title, row.abstract)
        for authorship in row.authorships:
            docs.setdefault(
                authorship.researcher_id,
                SearchDocument(authorship.researcher_id, "researcher", authorship.name),
            )
            for institution in authorship.institutions:
                docs.setdefault(
                    institution.id, SearchDocument(institution.id, "institution", institution.name)
                )
        for work_topic in row.topics:
            for level in (work_topic.topic, *work_topic.ancestors):
                docs.setdefault(level.id, SearchDocument(level.id, "topic", level.name))
    return list(docs.values())
