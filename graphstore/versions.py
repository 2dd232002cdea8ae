"""Versions of one paper: OpenAlex often holds a preprint and its published article as two works.

Two works are versions of one paper (the VERSIONS_OF_WORK hop, compiled in
graphstore.engines.compiler) when
- they share a DOI: their own (OpenAlex duplicates) or one a record names for one of its
  locations (a published article listing its preprint's DOI), or
- they have the same title key (graphstore.identifiers.title_key: the title's words, at least
  three) and an author in common.

A list grouped by versions holds one entry per paper: the works of the list joined by those
links, directly or through each other, with the preferred version first (``group_versions``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec

from graphstore.records import WorkRecord

PREPRINT = "preprint"


class Paper(msgspec.Struct, frozen=True):
    """One paper of a list: the version that stands for it, and its other versions in the
    list, in order of preference."""

    work: WorkRecord
    versions: tuple[WorkRecord, ...]


def preference(work: WorkRecord) -> tuple[bool, int, str]:
    """Which version stands for a paper: the published one (not a preprint), then the most
    cited, then the lowest id."""
    return (work.type == PREPRINT, -work.citations, work.id)


def group_versions(works: Sequence[WorkRecord], links: Iterable[tuple[str, str]]) -> list[Paper]:
    """The papers of a list of works (each once, in the list's order), given the version
    links between them (pairs of work ids; links to works outside the list are ignored), in
    the list's order of the version standing for each."""
    parent = {work.id: work.id for work in works}

    def root(work_id: str) -> str:
        while parent[work_id] != work_id:
            parent[work_id] = parent[parent[work_id]]
            work_id = parent[work_id]
        return work_id

    for one, other in links:
        if one in parent and other in parent:
            parent[root(one)] = root(other)
    grouped: dict[str, list[WorkRecord]] = {}
    for work in works:
        grouped.setdefault(root(work.id), []).append(work)
    papers = {}
    for members in grouped.values():
        ranked = sorted(members, key=preference)
        papers[ranked[0].id] = Paper(work=ranked[0], versions=tuple(ranked[1:]))
    return [papers[work.id] for work in works if work.id in papers]
