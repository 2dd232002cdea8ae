"""Lists across the graph for analysts, as plain data: which works or researchers a list holds,
its order, and the pages and counts it answers with.

Each set of works is defined once, here, and every list, facet and figure naming it uses this
definition (graphstore.engines.work_lists prints it as Cypher for both engines):

- a topic's works: the works tagged with the topic or with a topic below it (a subfield's,
  field's or domain's works are those of its topics; HAS_TOPIC links works to topics only);
- an institution's works: the works an authorship of which lists the institution (stored as
  Work -FROM_INSTITUTION-> Institution, one edge per work and institution);
- a researcher's works: the works they authored; a venue's works: those whose venue is that
  name, exactly.

A ``WorkScope`` names any of these and a ``WorkFilter`` (years, types) narrows them: a list holds
the works in every set named that pass the filter. A topic's works by year, say, are the YEAR
facet of ``WorkScope(topic=...)``.

A list of researchers holds the authors of the works of its scope (a topic's or an institution's
works, or every work), each counted with their works there: at an institution, only the works
where the researcher's own authorship lists it. An institution's researchers also include those
whose Author record lists it as an affiliation (with the record's years), also without works in
the graph there.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from graphstore.records import ResearcherRecord, WorkFilter, WorkOrder, WorkPosition


class WorkScope(msgspec.Struct, frozen=True):
    """The sets of works a list is drawn from (None: not narrowed by that set)."""

    topic: str | None = None
    institution: str | None = None
    researcher: str | None = None
    venue: str | None = None


class WorkListRequest(msgspec.Struct, frozen=True):
    """One keyset page of the works in ``scope`` passing ``filter``: ``first`` works after
    ``after`` in ``order`` (the orders and positions of a researcher's works)."""

    scope: WorkScope
    filter: WorkFilter
    order: WorkOrder
    after: WorkPosition | None
    first: int


class FacetKey(StrEnum):
    """What works are counted by: publication year, type, venue, topic (the topics that tag
    them) or institution (the institutions their authorships list)."""

    YEAR = "YEAR"
    TYPE = "TYPE"
    VENUE = "VENUE"
    TOPIC = "TOPIC"
    INSTITUTION = "INSTITUTION"


class WorkFacetRequest(msgspec.Struct, frozen=True):
    """The ``first`` most frequent values of ``by`` among the works of a list."""

    scope: WorkScope
    filter: WorkFilter
    by: FacetKey
    first: int


class FacetCount(msgspec.Struct, frozen=True):
    """A value works share and how many of the list's works have it. ``label`` is the
    topic's or institution's name, else the value itself. Works without a value (no year, no
    venue) are not counted under any."""

    value: str
    label: str
    count: int


class ResearcherOrder(StrEnum):
    """Orders of a researchers list: by their works in the list's scope or those works'
    citations, descending; ties by name, then id."""

    MOST_WORKS = "MOST_WORKS"
    MOST_CITED = "MOST_CITED"


class ResearcherScope(msgspec.Struct, frozen=True):
    """Whose researchers a list holds: the authors of a topic's works, an institution's
    members (authorships there and Author records), or everyone (neither given); with at least
    ``min_works`` works in the scope when given."""

    topic: str | None = None
    institution: str | None = None
    min_works: int | None = None


class ResearcherPosition(msgspec.Struct, frozen=True):
    """A researcher's place in an order: the sort value (works or citations), name, id."""

    sort_value: int
    name: str
    id: str


class ResearcherListRequest(msgspec.Struct, frozen=True):
    """One keyset page of a researchers list: ``first`` researchers after ``after``."""

    scope: ResearcherScope
    order: ResearcherOrder
    after: ResearcherPosition | None
    first: int


class ListedResearcher(msgspec.Struct, frozen=True):
    """A researcher of a list with their figures in its scope: works, the citations of those
    works, and the years known (of those works, and of the Author record's affiliation)."""

    position: ResearcherPosition
    researcher: ResearcherRecord
    works: int
    citations: int
    years: tuple[int, ...]


class ResearcherPage(msgspec.Struct, frozen=True):
    """A page of a researchers list, whether more follow, and how many the list holds."""

    researchers: tuple[ListedResearcher, ...]
    has_next_page: bool
    total: int
