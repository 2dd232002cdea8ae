"""Bad records: each one skipped and reported as file:line: reason, the rest imported."""

from __future__ import annotations

import codecs
import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from graphstore.ingest.importer import InputError, Progress, import_openalex, read_records
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


async def test_a_run_stopped_while_retrying_counts_what_landed(
    store: GraphStore, tmp_path: Path
) -> None:
    data = conference_slice(tmp_path, 64)
    refused = json.loads(data.read_text().splitlines()[41])["id"].rsplit("/", 1)[-1]

    report = await import_openalex(RefusingStore(store, refused), [data], max_errors=0)

    assert report.aborted
    assert report.problems == [f"{data}:42: rejected by the store (refused)"]
    # The halves before the refused record landed, and the summary says so.
    assert report.written.works == (await store.counts()).nodes["Work"] == 41


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


@pytest.mark.parametrize("manifest", [True, False], ids=["manifest", "no-manifest"])
async def test_snapshot_reads_its_partitions_and_leaves_merged_ids_out(
    store: GraphStore, tmp_path: Path, manifest: bool
) -> None:
    lines = conference_slice(tmp_path, 150).read_bytes().splitlines(keepends=True)
    data = tmp_path / "openalex-snapshot" / "data"
    for date, part in [("2024-01-01", lines[:100]), ("2024-02-01", lines[100:])]:
        partition = data / "works" / f"updated_date={date}"
        partition.mkdir(parents=True)
        (partition / "part_000.gz").write_bytes(gzip.compress(b"".join(part)))
    if manifest:
        (data / "works" / "manifest").write_text('{"entries": [], "meta": {"record_count": 150}}')
    for entity in ["works", "authors"]:
        merged = data / "merged_ids" / entity
        merged.mkdir(parents=True)
        csv = b"merge_date,id,merge_into_id\n2024-01-15,W1,W2\n2024-01-15,W3,W4\n"
        (merged / "2024-01-15.csv.gz").write_bytes(gzip.compress(csv))
    (data.parent / "RELEASE_NOTES.txt").write_text("notes")

    report = await import_openalex(store, [data.parent])

    assert report.problems == []
    assert report.records == {"work": 150}
    assert (await store.counts()).nodes["Work"] == report.written.works == 150
    assert report.summary_lines()[-1] == (
        f"not applied: snapshot merged_ids ({data / 'merged_ids'}); "
        "ids OpenAlex merged into others are not removed from the graph"
    )


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".json", ".json.gz"])
async def test_byte_order_mark_is_ignored(store: GraphStore, tmp_path: Path, suffix: str) -> None:
    lines = conference_slice(tmp_path, 20).read_bytes().splitlines()
    text = b"\n".join(lines) if ".jsonl" in suffix else b"[" + b",\n".join(lines) + b"]"
    data = tmp_path / f"bom{suffix}"
    with_bom = codecs.BOM_UTF8 + text
    data.write_bytes(gzip.compress(with_bom) if suffix.endswith(".gz") else with_bom)

    report = await import_openalex(store, [data])

    assert report.problems == []
    assert (await store.counts()).nodes["Work"] == 20


async def test_saved_api_responses_are_read_as_their_records(
    store: GraphStore, tmp_path: Path
) -> None:
    """A work as /works/W... answers it (pretty-printed), a page of /works?filter=... (its
    results are the records), and such a page on one line of a JSON Lines file."""
    records = [json.loads(line) for line in conference_slice(tmp_path, 7).read_text().splitlines()]
    single = tmp_path / "work.json"
    single.write_text(json.dumps(records[0], indent=2))
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"meta": {"count": 3}, "results": records[1:4]}, indent=2))
    lines = tmp_path / "pages.jsonl"
    lines.write_text(json.dumps({"meta": {"count": 3}, "results": [*records[4:], 5]}) + "\n")

    report = await import_openalex(store, [single, page, lines])

    assert report.problems == [f"{lines}:1:results[4]: not a JSON object"]
    assert (await store.counts()).nodes["Work"] == report.written.works == 7


async def test_deeply_nested_array_element_is_a_bad_record(
    store: GraphStore, tmp_path: Path
) -> None:
    (good,) = conference_slice(tmp_path, 1).read_bytes().splitlines()
    deep = b'{"id": "https://openalex.org/W1", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    data = tmp_path / "deep.json"
    data.write_bytes(b"[\n" + good + b",\n" + deep + b"\n]\n")

    report = await import_openalex(store, [data])

    assert report.problems == [
        f"{data}:3: malformed JSON array (nested too deeply); the rest of the file is not read"
    ]
    assert (await store.counts()).nodes["Work"] == 1


async def test_truncated_array_keeps_the_records_before_the_cut(
    store: GraphStore, tmp_path: Path
) -> None:
    lines = conference_slice(tmp_path, 20).read_bytes().splitlines()
    text = b"[\n" + b",\n".join(lines) + b"\n]\n"
    cut = text.index(lines[14]) + len(lines[14]) // 2  # halfway through line 16
    data = tmp_path / "cut.json"
    data.write_bytes(text[:cut])

    report = await import_openalex(store, [data])

    (problem,) = report.problems
    assert problem.startswith(f"{data}:16: malformed JSON array ("), problem
    assert (await store.counts()).nodes["Work"] == 14


async def test_truncated_gzip_array_keeps_the_records_before_the_cut(
    store: GraphStore, tmp_path: Path
) -> None:
    lines = conference_slice(tmp_path, 300).read_bytes().splitlines()
    packed = gzip.compress(b"[\n" + b",\n".join(lines) + b"\n]\n")
    data = tmp_path / "cut.json.gz"
    data.write_bytes(packed[: len(packed) * 2 // 3])

    report = await import_openalex(store, [data])

    (problem,) = report.problems
    where, reason = problem.split(": ", 1)
    assert reason.startswith("truncated or corrupt file"), problem
    imported = (await store.counts()).nodes["Work"]
    assert 100 < imported < 300
    # The cut is reported at the line it falls in: the one after the last imported record.
    assert where == f"{data}:{imported + 2}"


@pytest.mark.parametrize("contents", [[], ["notes.txt", "ids.csv.gz"]], ids=["empty", "no-records"])
async def test_folder_without_record_files_is_an_error(
    store: GraphStore, tmp_path: Path, contents: list[str]
) -> None:
    good = conference_slice(tmp_path, 10)
    folder = tmp_path / "wrong-folder"
    folder.mkdir()
    for name in contents:
        (folder / name).write_bytes(gzip.compress(b"a,b\n") if name.endswith(".gz") else b"x")

    with pytest.raises(InputError, match=f"no record files .* found under {folder}$"):
        await import_openalex(store, [good, folder])

    assert sum((await store.counts()).nodes.values()) == 0


def test_file_unreadable_when_its_turn_comes_is_reported(tmp_path: Path) -> None:
    # A file checked readable can change before it is read (a snapshot being synced):
    # here a folder stands where the file was.
    gone = tmp_path / "part_000.jsonl"
    gone.mkdir()

    (source,) = read_records(gone)

    assert (source.where, source.record) == (str(gone), None)
    assert source.problem == "unreadable file (Is a directory)"
