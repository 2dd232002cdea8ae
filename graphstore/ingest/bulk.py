"""Reads a whole input for a bulk first load: every record mapped, as one batch.

The records are the importer's (``importer.input_files``, ``parse_line``, ``map_source``:
the same files, errors and OpenAlex mapping) and land in one ``importer._Batch`` in input
order, which settles the institutions their mentions name as an import's batches do. JSON
Lines are cut into chunks of whole lines that worker processes decode and map, each chunk's
rows coming back as msgpack (far cheaper than pickling them); the chunks are taken back in
input order. Other files (JSON arrays, saved API pages: small) are read here.
"""

from __future__ import annotations

import gzip
import os
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import IO

import msgspec

from graphstore.ingest.importer import (
    ImportAbortedError,
    ImportReport,
    Progress,
    SourceRecord,
    _Batch,
    input_files,
    map_source,
    parse_line,
    read_records,
    stream_layout,
)
from graphstore.ingest.openalex import ImportRow, RecordError
from graphstore.records import AuthorRow, InstitutionRow, TopicRow, WorkRow

__all__ = ["WholeInput", "read_whole_input"]

# Bytes of JSON Lines a worker maps at a time: big enough that handing it over is cheap,
# small enough that both workers start early and memory stays a few chunks.
_CHUNK_BYTES = 8 << 20
# A row's kind in _MappedChunk.kinds (one byte each).
_KIND_OF: dict[type, int] = {
    WorkRow: ord("w"),
    AuthorRow: ord("a"),
    InstitutionRow: ord("i"),
    TopicRow: ord("t"),
}


class _MappedChunk(msgspec.Struct, array_like=True):
    """A chunk's rows by kind, ``kinds`` saying in which order they were read."""

    kinds: bytes
    wheres: list[str]
    works: list[WorkRow]
    authors: list[AuthorRow]
    institutions: list[InstitutionRow]
    topics: list[TopicRow]
    problems: list[tuple[str, str]]
    records: dict[str, int]


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(_MappedChunk)


def _map_sources(sources: Iterator[SourceRecord]) -> _MappedChunk:
    chunk = _MappedChunk(b"", [], [], [], [], [], [], {})
    kinds = bytearray()
    for source in sources:
        try:
            row = map_source(source, chunk.records)
        except RecordError as error:
            chunk.problems.append((source.where, str(error)))
            continue
        if row is None:
            continue
        if isinstance(row, WorkRow):
            chunk.works.append(row)
        elif isinstance(row, AuthorRow):
            chunk.authors.append(row)
        elif isinstance(row, InstitutionRow):
            chunk.institutions.append(row)
        else:
            chunk.topics.append(row)
        kinds.append(_KIND_OF[type(row)])
        chunk.wheres.append(source.where)
    chunk.kinds = bytes(kinds)
    return chunk


def _map_lines(path: str, first_line: int, data: bytes) -> bytes:
    """A worker's task: the records of whole JSON lines, mapped, as an encoded chunk."""
    lines = data.split(b"\n")
    sources = (
        source
        for number, line in enumerate(lines, start=first_line)
        for source in parse_line(f"{path}:{number}", line)
    )
    return _ENCODER.encode(_map_sources(sources))


@dataclass(slots=True)
class WholeInput:
    """Every row of an input, settled as one batch, and the import's report so far."""

    works: list[WorkRow]
    authors: list[AuthorRow]
    institutions: list[InstitutionRow]
    topics: list[TopicRow]
    report: ImportReport


def read_whole_input(
    paths: Sequence[Path],
    *,
    workers: int | None = None,
    max_errors: int,
    progress: Progress | None = None,
    report_problem: Callable[[str], None] | None = None,
) -> WholeInput:
    """Read and map every record of ``paths`` (files or snapshot folders, as the importer
    takes them) with ``workers`` processes (default: one per core). More than
    ``max_errors`` bad records stop the reading: the report comes back ``aborted``."""
    started = time.monotonic()
    inputs = input_files(paths)
    report = ImportReport(unapplied_merged_ids=inputs.merged_ids)
    batch = _Batch()
    seen = 0
    done_bytes = 0

    def take(chunk: _MappedChunk) -> None:
        nonlocal seen
        for where, reason in chunk.problems:
            report.skip(where, reason, max_errors, report_problem)
        for entity, n in chunk.records.items():
            report.records[entity] = report.records.get(entity, 0) + n
        rows: dict[int, Iterator[ImportRow]] = {
            _KIND_OF[WorkRow]: iter(chunk.works),
            _KIND_OF[AuthorRow]: iter(chunk.authors),
            _KIND_OF[InstitutionRow]: iter(chunk.institutions),
            _KIND_OF[TopicRow]: iter(chunk.topics),
        }
        for kind, where in zip(chunk.kinds, chunk.wheres, strict=True):
            batch.add(where, next(rows[kind]))
        seen += len(chunk.kinds) + len(chunk.problems)

    count = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(count, mp_context=get_context("spawn")) as pool:
        pending: deque[Future[bytes]] = deque()
        try:
            for path in inputs.files:
                for task in _file_tasks(path, take):
                    pending.append(pool.submit(_map_lines, *task.args))
                    # Taken back in order; a few ahead keep every worker busy.
                    while len(pending) > 2 * count:
                        take(_DECODER.decode(pending.popleft().result()))
                        _update(progress, seen, done_bytes + task.read)
                    if progress is not None:
                        _update(progress, seen, done_bytes + task.read)
                while pending:
                    take(_DECODER.decode(pending.popleft().result()))
                done_bytes += path.stat().st_size
                _update(progress, seen, done_bytes)
        except ImportAbortedError:
            report.aborted = True
            for future in pending:
                future.cancel()
    if progress is not None:
        progress.close()
    batch.settled()
    report.seconds = time.monotonic() - started
    return WholeInput(
        works=[row for _, row in batch.works],
        authors=[row for _, row in batch.authors],
        institutions=[row for _, row in batch.institutions],
        topics=[row for _, row in batch.topics],
        report=report,
    )


def _update(progress: Progress | None, records: int, done_bytes: int) -> None:
    if progress is not None:
        progress.update(records, done_bytes)


@dataclass(frozen=True, slots=True)
class _Task:
    args: tuple[str, int, bytes]
    read: int  # bytes of the file read so far


def _file_tasks(path: Path, take: Callable[[_MappedChunk], None]) -> Iterator[_Task]:
    """A JSON Lines file's chunks of whole lines, as tasks for the workers; any other file
    is read and mapped here (``take`` gets its rows), as are a file's read errors."""
    with path.open("rb") as raw:
        stream: gzip.GzipFile | IO[bytes] = (
            gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw
        )
        try:
            layout = stream_layout(stream)  # type: ignore[arg-type]
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError):
            layout = "unreadable"
        if layout != "lines":
            # read_records reports an unreadable file as the importer does.
            take(_map_sources(read_records(path)))
            return
        line = 1
        rest = b""
        try:
            while block := stream.read(_CHUNK_BYTES):
                data = rest + block
                cut = data.rfind(b"\n") + 1
                rest = data[cut:]
                if cut:
                    yield _Task((str(path), line, data[: cut - 1]), raw.tell())
                    line += data.count(b"\n", 0, cut)
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as error:
            problem = SourceRecord(f"{path}:{line}", None, f"truncated or corrupt file ({error})")
            take(_map_sources(iter([problem])))
        if rest:
            yield _Task((str(path), line, rest), raw.tell())
