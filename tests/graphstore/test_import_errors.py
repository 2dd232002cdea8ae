"""Bad records: each one skipped and reported as file:line: reason, the rest imported."""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphstore.importer import Progress, import_openalex
from graphstore.protocol import GraphStore, StoreError
from graphstore.records import WorkRow, WriteSummary
from tests.graphstore.test_import import conference_slice

# How each corrupted line is broken, and the reason the report must give for it.
CORRUPTIONS: list[tuple[str, str]] = [
    ("truncated", "malformed JSON"),
    ("no-id", "missing or malformed id"),
    ("bad-id", "unrecognised OpenAlex id"),
    ("year-text", "publication_year is not a non-negative integer"),
    ("authorships-object", "authorships is not a list"),
    ("array", "not a JSON object"),
    ("surrogate", "surrogate"),
    ("binary", "not UTF-8 text"),
    ("abstract-list", "abstract_inverted_index is not an object"),
    ("author-id", "missing or malformed A-id"),
]


def corrupt(line: bytes, how: str) -> bytes:
    """One JSON line broken in the given way."""
    record: dict[str, Any] = json.loads(line)
    if how == "truncated":
        return line[: len(line) // 2]
    if how == "no-id":
        del record["id"]
    elif how == "bad-id":
        record["id"] = "https://openalex.org/X123"
    elif how == "year-text":
        record["publication_year"] = "2020"
    elif how == "authorships-object":
        record["authorships"] = {"author": "nobody"}
    elif how == "array":
        return b"[1, 2, 3]"
    elif how == "surrogate":
        return json.dumps({**record, "title": "broken \ud800 text"}).encode()
    elif how == "binary":
        return b'{"id": "\xff\xfe"}'
    elif how == "abstract-list":
        record["abstract_inverted_index"] = ["not", "an", "index"]
    elif how == "author-id":
        record["authorships"][0]["author"]["id"] = "https://openalex.org/I1"
    return json.dumps(record).encode()


async def test_one_percent_corrupted_lines_are_each_reported(
    store: GraphStore, tmp_path: Path
) -> None:
    lines = conference_slice(tmp_path, 1000).read_bytes().splitlines()
    broken: dict[int, str] = {}
    for n, (how, reason) in enumerate(CORRUPTIONS):
        index = 37 + n * 97  # spread over the file, across batches
        lines[index] = corrupt(lines[index], how)
        broken[index + 1] = reason
    data = tmp_path / "corrupted.jsonl"
    data.write_bytes(b"\n".join(lines) + b"\n")
    reported: list[str] = []

    report = await import_openalex(store, [data], batch_size=300, report_problem=reported.append)

    assert report.skipped == len(broken) == 10
    assert reported == report.problems
    for problem, (line, reason) in zip(report.problems, sorted(broken.items()), strict=True):
        assert problem.startswith(f"{data}:{line}: "), problem
        assert reason in problem, problem
    counts = await store.counts()
    assert counts.nodes["Work"] == report.written.works == 990
    assert not report.aborted


async def test_truncated_gzip_keeps_what_came_before(store: GraphStore, tmp_path: Path) -> None:
    data = conference_slice(tmp_path, 300).read_bytes()
    packed = gzip.compress(data)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) * 2 // 3])

    report = await import_openalex(store, [cut])

    assert report.skipped == 1
    (problem,) = report.problems
    assert problem.startswith(f"{cut}:")
    assert "truncated or corrupt file" in problem
    imported = (await store.counts()).nodes["Work"]
    assert 100 < imported < 300


async def test_max_errors_stops_the_run(store: GraphStore, tmp_path: Path) -> None:
    lines = conference_slice(tmp_path, 200).read_bytes().splitlines()
    for index in range(50, 60):
        lines[index] = b"{broken"
    data = tmp_path / "bad.jsonl"
    data.write_bytes(b"\n".join(lines))

    report = await import_openalex(store, [data], batch_size=40, max_errors=5)

    assert report.aborted
    assert report.skipped == 6
    assert "stopped early" in report.summary_lines()[-1]
    assert (await store.counts()).nodes["Work"] < 200


class RefusingStore:
    """A store whose works batches fail while they hold a given work (a stand-in for a
    record the database refuses)."""

    def __init__(self, store: GraphStore, refused: str) -> None:
        self._store = store
        self._refused = refused
        self.calls: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def upsert_works(self, rows: Sequence[WorkRow]) -> WriteSummary:
        self.calls.append(len(rows))
        if any(row.id == self._refused for row in rows):
            raise StoreError("refused")
        return await self._store.upsert_works(rows)


async def test_failed_batch_is_retried_so_the_good_records_land(
    store: GraphStore, tmp_path: Path
) -> None:
    data = conference_slice(tmp_path, 64)
    refused = json.loads(data.read_text().splitlines()[41])["id"].rsplit("/", 1)[-1]
    refusing = RefusingStore(store, refused)

    report = await import_openalex(refusing, [data], batch_size=64)

    assert report.problems == [f"{data}:42: rejected by the store (refused)"]
    assert (await store.counts()).nodes["Work"] == report.written.works == 63
    # Halves, not 64 single-record transactions: 1 + 2 * log2(64) calls.
    assert len(refusing.calls) == 13


def test_progress_lines_when_not_a_terminal() -> None:
    class Stream:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return False

        def write(self, text: str) -> int:
            self.text += text
            return len(text)

        def flush(self) -> None:
            pass

    stream = Stream()
    progress = Progress(total_bytes=1000, stream=stream, every_seconds=0)  # type: ignore[arg-type]
    progress.update(records=500, done_bytes=250)
    progress.close()
    assert "import: 500 records" in stream.text
    assert "25% of the input" in stream.text
    assert "s left" in stream.text
