"""Streams OpenAlex records from files into a GraphStore, batch by batch.

Memory stays bounded by the batch size: files are read line by line (JSON arrays are the
exception, since they must be parsed whole). Bad records are skipped and reported as
``file:line: reason``; a batch the store refuses is retried record by record so the good
ones land.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from graphstore.openalex import RecordError, entity_of, work_row
from graphstore.protocol import GraphStore, StoreError, StoreUnavailableError
from graphstore.records import WorkRow, WriteSummary

DEFAULT_BATCH_SIZE = 2000

BinaryStream = gzip.GzipFile | io.BufferedReader
DEFAULT_MAX_ERRORS = 1000


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One record read from a file, with where it came from for error reports."""

    where: str
    record: dict[str, Any] | None
    problem: str | None = None


@dataclass(slots=True)
class ImportReport:
    """What an import did: records by entity, what was written, what was skipped and why."""

    records: dict[str, int] = field(default_factory=dict)
    written: WriteSummary = field(default_factory=WriteSummary)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    seconds: float = 0.0
    aborted: bool = False

    def summary_lines(self) -> list[str]:
        """A human summary of the run, one fact a line."""
        by_entity = ", ".join(f"{n} {entity}s" for entity, n in sorted(self.records.items()))
        return [
            f"records: {by_entity or 'none'}",
            f"written: {self.written.works} works, {self.written.authorships} authorships, "
            f"{self.written.researchers} researcher references, {self.written.topics} topic links",
            f"unchanged (older or same record already stored): {self.written.skipped_older}",
            f"skipped: {self.skipped} bad records",
            f"seconds: {self.seconds:.1f}",
        ]


class ImportAbortedError(Exception):
    """More bad records than --max-errors allows."""


def input_files(paths: Sequence[Path]) -> list[Path]:
    """The data files behind the given paths: files as given, folders searched in order.

    A folder may be an OpenAlex snapshot (``<entity>/updated_date=YYYY-MM-DD/part_*.gz``);
    its partitions are read oldest first so newer versions of a record win.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.is_file()
                and (p.suffix in {".gz", ".jsonl", ".json"})
                and "manifest" not in p.name
            ]
            files.extend(sorted(found, key=lambda p: (p.parent.name, p.name, str(p))))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return files


def read_records(path: Path) -> Iterator[SourceRecord]:
    """Yield the records of one file: JSON Lines (plain or gzip) or a JSON array."""
    stream: gzip.GzipFile | io.BufferedReader
    stream = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")  # noqa: SIM115
    with stream:
        try:
            first = stream.peek(64).lstrip()[:1]
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as error:
            yield SourceRecord(f"{path}:1", None, f"unreadable file ({error})")
            return
        if first == b"[":
            yield from _read_array(path, stream)
        else:
            yield from _read_lines(path, stream)


def _read_lines(path: Path, stream: BinaryStream) -> Iterator[SourceRecord]:
    line_number = 0
    try:
        for line_number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{path}:{line_number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield SourceRecord(where, None, f"malformed JSON ({error.msg})")
                continue
            except UnicodeDecodeError:
                yield SourceRecord(where, None, "not UTF-8 text")
                continue
            if not isinstance(record, dict):
                yield SourceRecord(where, None, "not a JSON object")
                continue
            yield SourceRecord(where, record)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as error:
        yield SourceRecord(
            f"{path}:{line_number + 1}", None, f"truncated or corrupt file ({error})"
        )


def _read_array(path: Path, stream: BinaryStream) -> Iterator[SourceRecord]:
    try:
        data = json.load(stream)
    except (json.JSONDecodeError, UnicodeDecodeError, EOFError, zlib.error, OSError) as error:
        yield SourceRecord(f"{path}:1", None, f"malformed JSON array ({error})")
        return
    for index, record in enumerate(data if isinstance(data, list) else [], start=1):
        where = f"{path}:[{index}]"
        if isinstance(record, dict):
            yield SourceRecord(where, record)
        else:
            yield SourceRecord(where, None, "not a JSON object")


class Progress:
    """A progress bar on a terminal, periodic plain lines otherwise."""

    def __init__(self, total_bytes: int | None, *, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stderr
        self._tty = self._stream.isatty()
        self._bar = (
            tqdm(total=total_bytes, unit="B", unit_scale=True, desc="import", file=self._stream)
            if self._tty
            else None
        )
        self._started = time.monotonic()
        self._last_line = self._started
        self._records = 0

    def advance(self, records: int, done_bytes: int | None = None) -> None:
        self._records += records
        now = time.monotonic()
        if self._bar is not None:
            if done_bytes is not None:
                self._bar.n = done_bytes
            self._bar.set_postfix(records=self._records, rate=f"{self._rate(now):.0f}/s")
            self._bar.refresh()
        elif now - self._last_line >= 5.0:
            self._last_line = now
            print(
                f"import: {self._records} records, {self._rate(now):.0f} records/s",
                file=self._stream,
                flush=True,
            )

    def _rate(self, now: float) -> float:
        return self._records / max(now - self._started, 1e-6)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


async def import_openalex(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_errors: int = DEFAULT_MAX_ERRORS,
    progress: Progress | None = None,
    report_problem: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import OpenAlex records from files or snapshot folders into the store."""
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    report = ImportReport()
    started = time.monotonic()
    files = input_files(paths)
    batch: list[tuple[str, WorkRow]] = []

    def problem(where: str, reason: str) -> None:
        report.skipped += 1
        line = f"{where}: {reason}"
        report.problems.append(line)
        if report_problem is not None:
            report_problem(line)
        if report.skipped > max_errors:
            report.aborted = True
            raise ImportAbortedError(f"more than {max_errors} bad records; stopped")

    async def flush() -> None:
        if batch:
            report.written += await _write_batch(store, batch, problem)
            if progress is not None:
                progress.advance(len(batch))
            batch.clear()

    try:
        for source in _all_records(files):
            if source.record is None:
                problem(source.where, source.problem or "unreadable record")
                continue
            try:
                entity = entity_of(source.record)
                report.records[entity] = report.records.get(entity, 0) + 1
                if entity != "work":
                    continue
                batch.append((source.where, work_row(source.record)))
            except RecordError as error:
                problem(source.where, str(error))
                continue
            if len(batch) >= batch_size:
                await flush()
        await flush()
    finally:
        report.seconds = time.monotonic() - started
        if progress is not None:
            progress.close()
    return report


def _all_records(files: Iterable[Path]) -> Iterator[SourceRecord]:
    for path in files:
        yield from read_records(path)


async def _write_batch(
    store: GraphStore,
    batch: Sequence[tuple[str, WorkRow]],
    problem: Callable[[str, str], None],
) -> WriteSummary:
    try:
        return await store.upsert_works([row for _, row in batch])
    except StoreUnavailableError:
        raise
    except StoreError:
        pass
    # The batch failed as a whole: write record by record so that only the bad ones are lost.
    written = WriteSummary()
    for where, row in batch:
        try:
            written += await store.upsert_works([row])
        except StoreError as error:
            problem(where, f"rejected by the store ({error})")
    return written
