"""A synthetic research graph in OpenAlex's Work shape, for benchmarks at any scale.

``researchgraph generate --works N [--seed S] [--out PATH]`` writes N Work records as JSON
Lines (gzip when the path ends in ``.gz``; standard output without ``--out``). The same seed
and N give byte-identical output. Records stream out one at a time; what the generator keeps
is a few flat integer arrays (4 bytes per authorship, per author and per citation: about
60 MB at a million works), never the records.

The shape follows the real thing:
- works come in time order (``publication_year`` 1990-2025, growing ~6 % a year), so every
  ``referenced_works`` entry points to an earlier work;
- authors per work: lognormal, median 4, 1 to 50;
- works per author: heavy-tailed. Authors come by preferential attachment (an authorship
  slot goes to an author with probability proportional to the works they already have, or
  to a newcomer), limited to a recent window so that careers end; a work's co-authors are
  often the lead author's previous team, so collaborations repeat. Hubs with hundreds of
  works and a median of one or two works per author result;
- topics: 4 domains -> 26 fields -> ~250 subfields -> ~4,500 topics, with OpenAlex's ids
  (``domains/3``, ``fields/17``, ``subfields/1702``, ``T...``); each author has a home topic
  (popular topics heavy-tailed), a work takes its lead author's and up to two siblings;
- citations: lognormal, median 8 references per work, to earlier works by preferential
  attachment; ``cited_by_count`` is exactly the number of citing works in the file (a first
  pass over the citation stream counts them);
- short titles, and short abstracts as ``abstract_inverted_index`` on ~70 % of works;
- institutions: each author has a home institution, listed on their authorships;
- OpenAlex's tails (``Tails``): a few authors with 5,000 to 20,000 works (name-merged
  profiles), on the works of the graph spread evenly in time, and works with 1,000 to 5,000
  authors (physics and genomics collaborations), every tail author on each. By default a
  graph gets a tail author per 250,000 works and a hyper-authored work per 100,000, so
  small graphs have none; ``--tail-authors`` and ``--hyper-works`` set them.

Ids are OpenAlex URLs with 12-digit numbers starting with 8 (``W8...``, ``A8...``, ``I8...``,
``T8...``, ``S8...``), a range no real OpenAlex id uses and apart from conference-graph's 9s.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import random
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

OPENALEX = "https://openalex.org/"
FIRST_YEAR = 1990
LAST_YEAR = 2025
# Yearly growth of the literature: the year of the i-th of n works follows this exponential.
_GROWTH = 0.06 * (LAST_YEAR - FIRST_YEAR)
MAX_AUTHORS = 50
MAX_REFERENCES = 80
# An authorship slot goes to a newcomer with this probability: authors per work ~0.85.
NEW_AUTHOR = 0.22
# Co-authors come from the lead author's previous work with this probability.
SAME_TEAM = 0.55
# Preferential attachment looks back this many authorships at most (careers end).
AUTHOR_WINDOW = 150_000
# A returning author is drawn by preferential attachment (proportional to their works) with
# this probability, else uniformly among the authors of the window.
PREFERENTIAL = 0.75
# A reference goes to a work cited before (preferentially) with this probability, else to any
# earlier work.
CITE_POPULAR = 0.6
ABSTRACT_SHARE = 0.7

_DOMAINS = (
    (1, "Life Sciences"),
    (2, "Social Sciences"),
    (3, "Physical Sciences"),
    (4, "Health Sciences"),
)
# Fields by domain: OpenAlex's ids 11..36, grouped as OpenAlex groups them.
_FIELD_DOMAINS = {
    **dict.fromkeys((11, 13, 24, 28, 30), 1),
    **dict.fromkeys((12, 14, 18, 20, 32, 33), 2),
    **dict.fromkeys((15, 16, 17, 19, 21, 22, 23, 25, 26, 31), 3),
    **dict.fromkeys((27, 29, 34, 35, 36), 4),
}
_SUBFIELDS_PER_FIELD = 10
_TOPICS_PER_SUBFIELD = 18

_WORDS = [
    "learning",
    "neural",
    "graph",
    "network",
    "model",
    "deep",
    "robust",
    "efficient",
    "adaptive",
    "quantum",
    "protein",
    "cell",
    "gene",
    "climate",
    "ocean",
    "carbon",
    "soil",
    "urban",
    "policy",
    "market",
    "health",
    "cancer",
    "brain",
    "language",
    "vision",
    "signal",
    "energy",
    "battery",
    "catalyst",
    "polymer",
    "material",
    "crystal",
    "magnetic",
    "optical",
    "laser",
    "sensor",
    "control",
    "inference",
    "bayesian",
    "causal",
    "sparse",
    "scalable",
    "distributed",
    "secure",
    "privacy",
    "federated",
    "dynamics",
    "stochastic",
    "spectral",
    "structure",
    "evolution",
    "ecology",
    "species",
    "immune",
    "vaccine",
    "clinical",
    "trial",
    "cohort",
    "survey",
    "economic",
    "social",
    "education",
    "migration",
    "memory",
    "attention",
    "transformer",
    "reinforcement",
    "generative",
    "diffusion",
    "embedding",
    "retrieval",
    "ranking",
    "temporal",
    "spatial",
    "multiscale",
]
_GLUE = ["of", "for", "with", "in", "and", "via", "under", "towards", "using", "from", "on"]
_FIRST_NAMES = [
    "Ana",
    "Ben",
    "Chen",
    "Dana",
    "Emil",
    "Fatima",
    "Gita",
    "Hugo",
    "Ines",
    "Jun",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yuki",
    "Zainab",
    "Alex",
    "Bruno",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hana",
    "Ivan",
    "Jia",
    "Karim",
    "Lucia",
    "Mina",
    "Nikolai",
    "Olga",
    "Pablo",
    "Rui",
    "Sara",
    "Tomas",
    "Ugo",
    "Vera",
    "Wei",
    "Yara",
]
_LAST_NAMES = [
    "Smith",
    "Wang",
    "Garcia",
    "Muller",
    "Rossi",
    "Kim",
    "Nguyen",
    "Silva",
    "Kowalski",
    "Ivanova",
    "Okafor",
    "Haddad",
    "Tanaka",
    "Patel",
    "Jensen",
    "Novak",
    "Dubois",
    "Costa",
    "Sato",
    "Chen",
    "Li",
    "Zhang",
    "Liu",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Hu",
    "Lin",
    "Guo",
    "He",
    "Luo",
    "Gao",
    "Zheng",
    "Liang",
    "Song",
    "Tang",
    "Han",
    "Feng",
    "Deng",
    "Cao",
    "Peng",
    "Zeng",
    "Xiao",
    "Tian",
    "Dong",
    "Pan",
    "Yuan",
    "Cai",
    "Jiang",
    "Yu",
    "Du",
    "Ye",
    "Cheng",
    "Wei",
    "Su",
    "Lu",
    "Ding",
    "Ren",
    "Shen",
    "Yao",
    "Jin",
    "Fan",
    "Tan",
    "Fu",
]
_INSTITUTION_KINDS = ("University of", "Institute of", "Polytechnic of", "Academy of")
_PLACES = [
    "Northbridge",
    "Eastvale",
    "Westmoor",
    "Southport",
    "Lakeside",
    "Hillcrest",
    "Riverton",
    "Stonegate",
    "Fairhaven",
    "Oakridge",
    "Brightwater",
    "Redcliff",
    "Greenfield",
    "Silverton",
    "Ironwood",
    "Clearwater",
    "Highland",
    "Marston",
]
_VENUES = (
    "Journal of Synthetic Results",
    "Proceedings of the Generated Conference",
    "Transactions on Imagined Systems",
    "Letters in Simulated Science",
    "Annals of Sampled Research",
    "Review of Modelled Studies",
)


def _rng(stream: str, seed: int) -> random.Random:
    """The seeded generator of one stream (the data is synthetic; nothing here is secret)."""
    return random.Random(f"{stream}:{seed}")  # noqa: S311


def _mix(value: int) -> int:
    """splitmix64: a well-spread 64-bit hash, for properties that are functions of an index."""
    value = (value + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return value ^ (value >> 31)


def _url(prefix: str, index: int) -> str:
    """The OpenAlex URL of the index-th entity of a kind: 12 digits starting with 8."""
    return f"{OPENALEX}{prefix}8{index + 1:011d}"


@dataclass(frozen=True, slots=True)
class Tails:
    """How many tail authors (``authors``, each on ``author_works`` works, drawn between the
    bounds) and hyper-authored works (``works``, each with ``work_authors`` authors) a graph
    gets. None: the defaults for the graph's size (``for_size``)."""

    authors: int | None = None
    author_works: tuple[int, int] = (5_000, 20_000)
    works: int | None = None
    work_authors: tuple[int, int] = (1_000, 5_000)

    def for_size(self, count: int) -> tuple[int, int]:
        """The numbers of tail authors and hyper-authored works in a graph of ``count``."""
        authors = count // TAIL_AUTHOR_PER if self.authors is None else self.authors
        works = count // HYPER_WORK_PER if self.works is None else self.works
        return authors, min(works, count)


# Defaults: one tail author per this many works, one hyper-authored work per this many.
TAIL_AUTHOR_PER = 250_000
HYPER_WORK_PER = 100_000
# Tail authors' indices, apart from the others' (never drawn by preferential attachment:
# their works are exactly the ones chosen for them).
_TAIL_AUTHOR_BASE = 99_000_000_000


def tail_author_id(tail: int) -> str:
    """The OpenAlex URL of the ``tail``-th tail author (from 0)."""
    return _url("A", _TAIL_AUTHOR_BASE + tail)


class _TailPlan:
    """Which works each tail author is on, and the size of each hyper-authored work."""

    def __init__(self, tails: Tails, count: int, seed: int) -> None:
        rng = _rng("tails", seed)
        authors, works = tails.for_size(count)
        self.hyper: dict[int, int] = {
            index: rng.randint(*tails.work_authors)
            for index in sorted(rng.sample(range(count), works))
        }
        self.on: dict[int, list[int]] = {}
        for tail in range(authors):
            wanted = min(count, rng.randint(*tails.author_works))
            for index in sorted(rng.sample(range(count), wanted)):
                self.on.setdefault(index, []).append(_TAIL_AUTHOR_BASE + tail)
        tail_authors = [_TAIL_AUTHOR_BASE + tail for tail in range(authors)]
        for index in self.hyper:
            listed = self.on.setdefault(index, [])
            listed += [a for a in tail_authors if a not in listed]


@dataclass(frozen=True, slots=True)
class _Topic:
    id: str
    name: str
    subfield: int
    field: int
    domain: int


def _title_words(rng: random.Random, count: int) -> list[str]:
    # Squaring the uniform draw makes early (common) words commoner: a Zipf-like vocabulary.
    words = [_WORDS[int(len(_WORDS) * rng.random() ** 2)] for _ in range(count)]
    for at in range(2, count - 1, 3):
        words[at] = _GLUE[int(rng.random() * len(_GLUE))]
    return words


class _Hierarchy:
    """Domains, fields, subfields and topics; topic popularity is heavy-tailed."""

    def __init__(self, seed: int) -> None:
        rng = _rng("topics", seed)
        self.domains = dict(_DOMAINS)
        self.fields = {
            field: " ".join(_title_words(rng, 2)).title() for field in sorted(_FIELD_DOMAINS)
        }
        self.subfields: dict[int, str] = {}
        self.topics: list[_Topic] = []
        for field in sorted(_FIELD_DOMAINS):
            for j in range(1, _SUBFIELDS_PER_FIELD + 1):
                subfield = field * 100 + j
                self.subfields[subfield] = " ".join(_title_words(rng, 3)).title()
                for _ in range(_TOPICS_PER_SUBFIELD):
                    name = " ".join(_title_words(rng, 4)).capitalize()
                    self.topics.append(
                        _Topic(
                            _url("T", len(self.topics)),
                            name,
                            subfield,
                            field,
                            _FIELD_DOMAINS[field],
                        )
                    )
        # Popularity: the topic at rank r (a seeded shuffle) is drawn with weight 1 / r.
        order = list(range(len(self.topics)))
        rng.shuffle(order)
        self._by_rank = order
        self._harmonic = math.log(len(order)) + 0.5772

    def popular(self, unit: float) -> int:
        """A topic index for a uniform draw in [0, 1): rank r with probability ~ 1 / r."""
        rank = min(len(self._by_rank) - 1, int(math.exp(unit * self._harmonic)) - 1)
        return self._by_rank[max(0, rank)]

    def entry(self, index: int, score: float) -> dict[str, Any]:
        topic = self.topics[index]
        return {
            "id": topic.id,
            "display_name": topic.name,
            "score": score,
            "subfield": {
                "id": f"{OPENALEX}subfields/{topic.subfield}",
                "display_name": self.subfields[topic.subfield],
            },
            "field": {
                "id": f"{OPENALEX}fields/{topic.field}",
                "display_name": self.fields[topic.field],
            },
            "domain": {
                "id": f"{OPENALEX}domains/{topic.domain}",
                "display_name": self.domains[topic.domain],
            },
        }


def _year(index: int, works: int) -> int:
    """Publication year of the index-th work: exponential growth from FIRST_YEAR."""
    share = (index + 0.5) / works
    offset = math.log1p(share * math.expm1(_GROWTH)) / _GROWTH
    return FIRST_YEAR + min(LAST_YEAR - FIRST_YEAR, int(offset * (LAST_YEAR - FIRST_YEAR + 1)))


class _Citations:
    """The citation stream: which earlier works each work references.

    It draws from its own generator, so a first pass can count every work's citations
    (cited_by_count) and the writing pass replays the very same references.
    """

    def __init__(self, seed: int) -> None:
        self._rng = _rng("citations", seed)
        self._cited = array("I")  # every reference so far: preferential attachment

    def references(self, index: int) -> list[int]:
        if index == 0:
            return []
        rng = self._rng
        wanted = min(MAX_REFERENCES, int(rng.lognormvariate(math.log(8), 0.8)))
        found: dict[int, None] = {}
        for _ in range(wanted):
            if self._cited and rng.random() < CITE_POPULAR:
                target = self._cited[int(rng.random() * len(self._cited))]
            else:
                # Any earlier work, recent ones likelier (the square pulls towards index).
                target = int(index * (1.0 - rng.random() ** 2))
            found[min(target, index - 1)] = None
        targets = list(found)
        self._cited.extend(targets)
        return targets


class _Authors:
    """Who writes each work: preferential attachment within a window, and repeat teams."""

    def __init__(self, seed: int, institutions: int) -> None:
        self._rng = _rng("authors", seed)
        self._seed = seed
        self._slots = array("I")  # the author of every authorship, in work order
        self._offsets = array("I", [0])  # work i's authors are _slots[_offsets[i]:_offsets[i+1]]
        self._last_work = array("i")  # each author's latest work, -1 before any
        self._institutions = institutions

    @property
    def count(self) -> int:
        return len(self._last_work)

    def _new(self) -> int:
        self._last_work.append(-1)
        return len(self._last_work) - 1

    def _preferential(self) -> int:
        slots, rng = self._slots, self._rng
        if not slots or rng.random() < NEW_AUTHOR:
            return self._new()
        low = max(0, len(slots) - AUTHOR_WINDOW)
        if rng.random() < PREFERENTIAL:
            return slots[low + int(rng.random() * (len(slots) - low))]
        # Uniformly among authors active in the window: from the author of its first slot on.
        oldest = slots[low] if low else 0
        return oldest + int(rng.random() * (self.count - oldest))

    def drawn(self) -> int:
        """An author drawn as an authorship slot is (a newcomer or a returning author)."""
        return self._preferential()

    def authors(self, index: int) -> list[int]:
        rng = self._rng
        wanted = max(1, min(MAX_AUTHORS, round(rng.lognormvariate(math.log(4), 0.75))))
        lead = self._preferential()
        chosen = {lead: None}
        previous = self._last_work[lead]
        team = (
            self._slots[self._offsets[previous] : self._offsets[previous + 1]]
            if previous >= 0
            else array("I")
        )
        while len(chosen) < wanted:
            if team and rng.random() < SAME_TEAM:
                candidate = team[int(rng.random() * len(team))]
            else:
                candidate = self._preferential()
            if candidate in chosen:
                candidate = self._new() if rng.random() < 0.5 else self._preferential()
            chosen[candidate] = None
        authors = list(chosen)
        # The lead is first or, as often in the sciences, last (the senior author).
        if len(authors) > 2 and rng.random() < 0.5:
            authors.append(authors.pop(0))
        for author in authors:
            self._last_work[author] = index
        self._slots.extend(authors)
        self._offsets.append(len(self._slots))
        return authors

    def name(self, author: int) -> str:
        bits = _mix(self._seed * 1_000_003 + author)
        first = _FIRST_NAMES[bits % len(_FIRST_NAMES)]
        last = _LAST_NAMES[(bits >> 16) % len(_LAST_NAMES)]
        initial = chr(ord("A") + (bits >> 32) % 26)
        return f"{first} {initial}. {last}"

    def institution(self, author: int) -> int | None:
        bits = _mix(self._seed * 7_000_003 + author)
        if bits % 10 < 2:  # a fifth of the authorships list no institution
            return None
        # Heavy-tailed sizes: squaring the draw favours the low (big) institutions.
        unit = ((bits >> 8) % 1_000_000) / 1_000_000
        return int(self._institutions * unit**2)

    def home_topic(self, author: int, hierarchy: _Hierarchy) -> int:
        bits = _mix(self._seed * 9_000_011 + author)
        return hierarchy.popular((bits % 1_000_000_007) / 1_000_000_007)


def _institution(index: int) -> dict[str, Any]:
    bits = _mix(index + 17)
    kind = _INSTITUTION_KINDS[bits % len(_INSTITUTION_KINDS)]
    place = _PLACES[(bits >> 8) % len(_PLACES)]
    return {
        "id": _url("I", index),
        "display_name": f"{kind} {place} {index + 1}",
        "ror": None,
        "country_code": None,
        "type": "education",
    }


def _abstract(rng: random.Random) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(_title_words(rng, rng.randint(20, 60))):
        index.setdefault(word, []).append(position)
    return index


def works(count: int, seed: int = 1, tails: Tails | None = None) -> Iterator[dict[str, Any]]:
    """The ``count`` Work records of the graph for ``seed``, oldest first, with ``tails``
    (None: the defaults)."""
    if count < 0:
        raise ValueError("the number of works must not be negative")
    in_degree = array("I", bytes(4 * count))
    counting = _Citations(seed)
    for index in range(count):
        for target in counting.references(index):
            in_degree[target] += 1
    del counting
    hierarchy = _Hierarchy(seed)
    citations = _Citations(seed)
    authors = _Authors(seed, institutions=max(50, count // 40))
    rng = _rng("works", seed)
    plan = _TailPlan(tails or Tails(), count, seed)
    for index in range(count):
        work_authors = authors.authors(index)
        work_authors += [a for a in plan.on.get(index, ()) if a not in work_authors]
        wanted = plan.hyper.get(index, 0)
        # A collaboration's other authors: drawn as any authorship's, but not written back
        # as authorships to draw from (they would crowd preferential attachment).
        listed = set(work_authors)
        while len(work_authors) < wanted:
            extra = authors.drawn()
            if extra not in listed:
                listed.add(extra)
                work_authors.append(extra)
        home = authors.home_topic(work_authors[0], hierarchy)
        topic_ids = [home]
        siblings = rng.randint(0, 2)
        base = home - home % _TOPICS_PER_SUBFIELD
        for _ in range(siblings):
            sibling = base + rng.randrange(_TOPICS_PER_SUBFIELD)
            if sibling not in topic_ids:
                topic_ids.append(sibling)
        topics = [
            hierarchy.entry(t, round(0.99 - 0.1 * rank - 0.05 * rng.random(), 4))
            for rank, t in enumerate(topic_ids)
        ]
        title = " ".join(_title_words(rng, rng.randint(5, 12))).capitalize()
        venue = rng.randrange(len(_VENUES))
        authorships = []
        for position, author in enumerate(work_authors):
            institution = authors.institution(author)
            name = authors.name(author)
            authorships.append(
                {
                    "author_position": "first"
                    if position == 0
                    else ("last" if position == len(work_authors) - 1 else "middle"),
                    "author": {"id": _url("A", author), "display_name": name, "orcid": None},
                    "institutions": [] if institution is None else [_institution(institution)],
                    "raw_author_name": name,
                }
            )
        yield {
            "id": _url("W", index),
            "doi": f"https://doi.org/10.99999/synthetic.{index + 1}",
            "title": title,
            "display_name": title,
            "publication_year": _year(index, count),
            "type": "article" if rng.random() < 0.8 else "preprint",
            "primary_location": {
                "source": {
                    "id": _url("S", venue),
                    "display_name": _VENUES[venue],
                    "type": "journal",
                }
            },
            "authorships": authorships,
            "primary_topic": topics[0],
            "topics": topics,
            "cited_by_count": in_degree[index],
            "referenced_works": [_url("W", t) for t in citations.references(index)],
            "abstract_inverted_index": _abstract(rng) if rng.random() < ABSTRACT_SHARE else None,
            "updated_date": "2025-01-01T00:00:00",
        }


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw:
        if path.name.endswith(".gz"):
            # No file name and a zero mtime in the header: the same input, the same bytes.
            with (
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as gz,
                io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as text,
            ):
                yield text
        else:
            with io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as text:
                yield text


def write_works(
    count: int, seed: int = 1, path: Path | None = None, tails: Tails | None = None
) -> int:
    """Write the works as JSON Lines to ``path`` (gzip for ``.gz``; stdout for None)."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    written = 0
    with _output(path) as out:
        for record in works(count, seed, tails):
            out.write(encode(record))
            out.write("\n")
            written += 1
    return written
