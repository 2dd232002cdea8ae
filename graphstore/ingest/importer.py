"""Streams OpenAlex records from files into a GraphStore, batch by batch.

Memory stays bounded by the batch size: files are read line by line (JSON arrays are the
exception: their text is read whole, then parsed one element at a time). Reading and mapping
the next batch (in a thread) overlaps with writing the previous one, so the database and the
parser work at once.

Bad records are skipped and reported as ``file:line: reason``. A batch the store refuses is
split in halves and retried, down to single records, so every good record lands and only the
refused ones are reported. Each store call is one transaction: an interrupted run leaves whole
batches behind, and running the same import again finishes with the graph a clean run gives.
"""

from __future__ import annotations

import asyncio
import codecs
import gzip
import io
import json
import os
import re
import sys
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import orjson
from msgspec.structs import replace
from tqdm import tqdm

from graphstore.ingest.openalex import (
    IMPORTED_ENTITIES,
    ImportRow,
    RecordError,
    entity_of,
    import_row,
)
from graphstore.protocol import GraphCounts, GraphStore, StoreError, StoreUnavailableError
from graphstore.records import AuthorRow, InstitutionRow, TopicRow, WorkRow, WriteSummary

# Records per transaction. A LadybugDB commit of a COPY checkpoints (seconds each, more as the
# database grows), so its batches are big (docs/scaling.md); Neo4j keeps a transaction's state
# in its heap.
DEFAULT_BATCH_SIZES = {"embedded": 50_000, "neo4j": 5_000}
DEFAULT_MAX_ERRORS = 1000

BinaryStream = gzip.GzipFile | io.BufferedReader
RowT = TypeVar("RowT", WorkRow, AuthorRow, InstitutionRow, TopicRow)
# Every this many records the reader hands over progress (and a chance to stop).
_PROGRESS_EVERY = 2000


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
    figures: int = 0
    figures_seconds: float = 0.0
    aborted: bool = False
    nodes_added: int | None = None
    edges_added: int | None = None
    unapplied_merged_ids: list[Path] = field(default_factory=list)

    def skip(
        self,
        where: str,
        reason: str,
        max_errors: int,
        report_problem: Callable[[str], None] | None = None,
    ) -> None:
        """Count a bad record, keep (and tell ``report_problem``) why; past ``max_errors``
        of them, stop the run (ImportAbortedError)."""
        self.skipped += 1
        line = f"{where}: {reason}"
        self.problems.append(line)
        if report_problem is not None:
            report_problem(line)
        if self.skipped > max_errors:
            raise ImportAbortedError(f"more than {max_errors} bad records; stopped")

    def summary_lines(self) -> list[str]:
        """A human summary of the run, one fact a line."""
        by_entity = ", ".join(f"{n} {entity}s" for entity, n in sorted(self.records.items()))
        written = self.written
        not_imported = sorted(set(self.records) - IMPORTED_ENTITIES)
        lines = [
            f"records read: {by_entity or 'none'}",
            f"written: {written.works} works, {written.authors} authors, "
            f"{written.institutions} institutions, {written.topic_records} topics",
            f"edges written: {written.authorships} authorships, {written.topics} topic links, "
            f"{written.citations} citations, {written.affiliations} affiliations",
            f"references to works not in the graph (linked when they arrive): "
            f"{written.pending_references}",
            f"unchanged (a newer version is stored): {written.skipped_older}",
            f"skipped: {self.skipped} bad records",
            f"researchers' figures written: {self.figures} in {self.figures_seconds:.1f} s",
            f"seconds: {self.seconds:.1f}",
        ]
        if self.nodes_added is not None and self.edges_added is not None:
            lines.insert(3, f"graph: {self.nodes_added:+,} nodes, {self.edges_added:+,} edges")
        if not_imported:
            lines.insert(1, f"not in the graph model (counted only): {', '.join(not_imported)}")
        if self.unapplied_merged_ids:
            folders = ", ".join(str(p) for p in self.unapplied_merged_ids)
            lines.append(
                f"not applied: snapshot merged_ids ({folders}); ids OpenAlex merged into "
                "others are not removed from the graph"
            )
        if self.aborted:
            lines.append("stopped early: too many bad records (--max-errors)")
        return lines


class ImportAbortedError(Exception):
    """More bad records than --max-errors allows."""


class InputError(Exception):
    """A path given to the import that cannot be read: nothing is imported."""


@dataclass(frozen=True, slots=True)
class InputFiles:
    """The record files an import reads, and the snapshot merged_ids folders it leaves out."""

    files: list[Path]
    merged_ids: list[Path]


def input_files(paths: Sequence[Path]) -> InputFiles:
    """The data files behind the given paths: files as given, folders searched in order.

    A folder holding ``updated_date=YYYY-MM-DD`` partitions is an OpenAlex snapshot: only its
    ``<entity>/updated_date=*/part_*.gz`` files are read, oldest partition first so newer
    versions of a record win. Any other folder gives its JSON Lines and JSON files (``.gz``
    or not). Every file is checked to be readable before anything is imported.
    """
    files: list[Path] = []
    merged_ids: list[Path] = []
    for path in paths:
        if path.is_dir():
            found, merged = _folder_files(path)
            if not found:
                raise InputError(
                    f"no record files (.jsonl, .json, .gz; or a snapshot's part_*.gz) "
                    f"found under {path}"
                )
            files.extend(found)
            merged_ids.extend(merged)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"no such file or folder: {path}")
    for file in files:
        try:
            with file.open("rb"):
                pass
        except OSError as error:
            raise InputError(f"cannot read {file}: {error.strerror}") from error
    return InputFiles(files, merged_ids)


def _folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """A folder's record files, and the snapshot merged_ids folders under it."""
    plain: list[Path] = []
    partitions: list[Path] = []
    merged_ids: list[Path] = []
    for root, folders, names in os.walk(folder, onerror=_unreadable_folder):
        here = Path(root)
        if here.name == "merged_ids":
            # CSV lists of ids merged into others: not records, and not applied.
            merged_ids.append(here)
            folders.clear()
            continue
        in_partition = here.name.startswith("updated_date=")
        for name in names:
            file = here / name
            if not file.is_file():
                continue
            if in_partition and name.startswith("part_") and name.endswith(".gz"):
                partitions.append(file)
            elif _is_record_file(name):
                plain.append(file)
    # A snapshot's other files (manifests, notes) are not records.
    found = partitions or plain
    return sorted(found, key=lambda p: (p.parent.name, p.name, str(p))), merged_ids


def _is_record_file(name: str) -> bool:
    stem, suffix = os.path.splitext(name)
    if suffix == ".gz":
        # part_000.gz, works.jsonl.gz; not a .csv.gz or other compressed formats.
        suffix = os.path.splitext(stem)[1] or ".jsonl"
    return suffix in {".jsonl", ".json"} and "manifest" not in name


def _unreadable_folder(error: OSError) -> None:
    raise InputError(f"cannot read folder {error.filename}: {error.strerror}") from error


class _Position:
    """How many bytes of the input files have been read: the progress bar's measure."""

    def __init__(self) -> None:
        self.done = 0
        self.file: IO[bytes] | None = None

    def bytes_read(self) -> int:
        return self.done + (self.file.tell() if self.file is not None else 0)


def read_records(path: Path, position: _Position | None = None) -> Iterator[SourceRecord]:
    """Yield the records of one file (plain or gzip): JSON Lines, a JSON array, or one JSON
    object (a record, or a saved OpenAlex API page whose ``results`` are the records)."""
    try:
        raw = path.open("rb")
    except OSError as error:
        # input_files found it readable: it changed since (a snapshot being synced, say).
        yield SourceRecord(str(path), None, f"unreadable file ({error.strerror})")
        return
    with raw:
        size = os.fstat(raw.fileno()).st_size
        if position is not None:
            position.file = raw
        try:
            if path.suffix == ".gz":
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    yield from _read_stream(path, unzipped)
            else:
                yield from _read_stream(path, raw)
        finally:
            if position is not None:
                position.done += size
                position.file = None


def _read_stream(path: Path, stream: BinaryStream) -> Iterator[SourceRecord]:
    try:
        layout = stream_layout(stream)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as error:
        yield SourceRecord(f"{path}:1", None, f"unreadable file ({error})")
        return
    if layout == "array":
        yield from _read_array(path, stream)
    elif layout == "document":
        yield from _read_document(path, stream)
    else:
        yield from _read_lines(path, stream)


def stream_layout(stream: BinaryStream) -> str:
    """How a file holds its records, read from its start: ``array`` (a JSON array),
    ``document`` (one pretty-printed JSON object) or ``lines`` (JSON Lines). Skips a UTF-8
    byte order mark; raises what reading the stream raises."""
    bom = codecs.BOM_UTF8
    # A UTF-8 byte order mark (Windows tools write one) is not part of the JSON.
    if stream.peek(len(bom)).startswith(bom):
        stream.read(len(bom))
    head = stream.peek(4096).lstrip()
    if head[:1] == b"[":
        return "array"
    if head.split(b"\n", 1)[0].strip() == b"{":
        # A pretty-printed object (an API response saved to a file) is one JSON document.
        return "document"
    return "lines"


def parse_line(where: str, line: bytes) -> Iterator[SourceRecord]:
    """The records of one line of a JSON Lines file: none for a blank line, the results of
    an OpenAlex API page, or the line's record."""
    if not line.strip():
        return
    try:
        # orjson: faster than json on OpenAlex records, with the same errors (its
        # JSONDecodeError is json's), and it refuses lone surrogates (\ud800), which no
        # database can store as text.
        record = orjson.loads(line)
    except json.JSONDecodeError as error:
        reason = "not UTF-8 text" if "UTF-8" in error.msg else f"malformed JSON ({error.msg})"
        yield SourceRecord(where, None, reason)
        return
    if not isinstance(record, dict):
        yield SourceRecord(where, None, "not a JSON object")
    elif (results := _page_results(record)) is not None:
        yield from _api_page(where, results)
    else:
        yield SourceRecord(where, record)


def _read_lines(path: Path, stream: BinaryStream) -> Iterator[SourceRecord]:
    line_number = 0
    try:
        for line_number, line in enumerate(stream, start=1):
            yield from parse_line(f"{path}:{line_number}", line)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as error:
        yield SourceRecord(
            f"{path}:{line_number + 1}", None, f"truncated or corrupt file ({error})"
        )


def _read_document(path: Path, stream: BinaryStream) -> Iterator[SourceRecord]:
    """A file holding one JSON object: a record, or a page of the OpenAlex API
    (``{"meta": ..., "results": [...]}``), whose results are the records."""
    text, cut = _whole_text(stream)
    where = f"{path}:1"
    if cut is not None:
        yield SourceRecord(where, None, cut)
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield SourceRecord(f"{path}:{error.lineno}", None, f"malformed JSON ({error.msg})")
        return
    except RecursionError:
        yield SourceRecord(where, None, "malformed JSON (nested too deeply)")
        return
    if (results := _page_results(document)) is not None:
        yield from _api_page(where, results)
    else:
        yield _parsed_record(where, document)


def _page_results(value: dict[str, Any]) -> list[Any] | None:
    """The ``results`` of an OpenAlex API page (an object without an id that lists them)."""
    if "id" in value:  # every record has one: the usual answer, first
        return None
    results = value.get("results")
    return results if isinstance(results, list) else None


def _api_page(where: str, results: list[Any]) -> Iterator[SourceRecord]:
    """The records of an OpenAlex API page's ``results``, each reported as where[index]."""
    for index, record in enumerate(results, start=1):
        yield _parsed_record(f"{where}:results[{index}]", record)


def _parsed_record(where: str, value: Any) -> SourceRecord:
    """A value parsed by the json module as a record, unless it is no object or not text."""
    if not isinstance(value, dict):
        return SourceRecord(where, None, "not a JSON object")
    if not _encodable(value):
        return SourceRecord(where, None, "text with a lone surrogate (not Unicode)")
    return SourceRecord(where, value)


def _encodable(record: dict[str, Any]) -> bool:
    # JSON allows escaped lone surrogates (\ud800), which no database can store as text.
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _ArrayStop(Exception):
    """Where and why a JSON array file stops being one JSON array."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


_NOT_JSON_WHITESPACE = re.compile(r"[^ \t\n\r]")
_DECODER = json.JSONDecoder()


def _read_array(path: Path, stream: BinaryStream) -> Iterator[SourceRecord]:
    """The records of a JSON array file. A file cut short, or broken midway, keeps the
    records before the break, and the break is reported at its line."""
    text, cut = _whole_text(stream)
    cut_line = _line(text, len(text))
    try:
        for index, record in enumerate(_array_elements(text), start=1):
            yield _parsed_record(f"{path}:[{index}]", record)
    except _ArrayStop as stop:
        # Text that ends early makes the parser stop at its end: report the first fault.
        if cut is None or stop.line < cut_line:
            reason = f"{stop.reason}; the rest of the file is not read"
            yield SourceRecord(f"{path}:{stop.line}", None, reason)
            return
    if cut is not None:
        yield SourceRecord(f"{path}:{cut_line}", None, cut)


def _whole_text(stream: BinaryStream) -> tuple[str, str | None]:
    """The text of a file parsed whole (a JSON array or one object), and why it ends early (a
    file cut short, bytes that are not text) if it does: the text then is what came before."""
    chunks: list[bytes] = []
    cut: str | None = None
    try:
        # read1: a failing read loses only its own chunk.
        while chunk := stream.read1(1 << 20):
            chunks.append(chunk)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as error:
        cut = f"truncated or corrupt file ({error})"
    data = b"".join(chunks)
    del chunks
    # As json.load does: UTF-8, -16 or -32, and UTF-8-encoded lone surrogates decode (each
    # record is checked for them).
    encoding = json.detect_encoding(data)
    try:
        return data.decode(encoding, "surrogatepass"), cut
    except UnicodeDecodeError as error:
        text = data[: error.start].decode(encoding, "surrogatepass")
        return text, f"not {encoding.upper()} text"


def _array_elements(text: str) -> Iterator[Any]:
    """The elements of the JSON array ``text`` holds, parsed one at a time; raises _ArrayStop
    where the text stops being that array."""
    index = _skip(text, 0)
    if not text.startswith("[", index):
        raise _ArrayStop(_line(text, index), "malformed JSON array (no '[' at its start)")
    index = _skip(text, index + 1)
    if not text.startswith("]", index):
        while True:
            try:
                element, end = _DECODER.raw_decode(text, index)
            except json.JSONDecodeError as error:
                raise _ArrayStop(error.lineno, f"malformed JSON array ({error.msg})") from None
            except RecursionError:
                raise _ArrayStop(
                    _line(text, index), "malformed JSON array (nested too deeply)"
                ) from None
            yield element
            index = _skip(text, end)
            if not text.startswith(",", index):
                break
            index = _skip(text, index + 1)
        if not text.startswith("]", index):
            raise _ArrayStop(_line(text, index), "malformed JSON array (expected ',' or ']')")
    index = _skip(text, index + 1)
    if index < len(text):
        raise _ArrayStop(_line(text, index), "malformed JSON array (more data after its end)")


def _skip(text: str, index: int) -> int:
    """The index of the first non-whitespace character from ``index`` on."""
    match = _NOT_JSON_WHITESPACE.search(text, index)
    return match.start() if match is not None else len(text)


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


class Progress:
    """A progress bar on a terminal (rate and ETA when the input size is known), periodic
    plain lines otherwise."""

    def __init__(
        self,
        total_bytes: int | None,
        *,
        stream: IO[str] | None = None,
        every_seconds: float = 5.0,
    ) -> None:
        self._stream = stream or sys.stderr
        self._total = total_bytes
        self._every = every_seconds
        self._bar = (
            tqdm(
                total=total_bytes,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc="import",
                file=self._stream,
                mininterval=0.5,
            )
            if self._stream.isatty()
            else None
        )
        self._started = time.monotonic()
        self._last_line = self._started
        self._records = 0
        self._figures_started: float | None = None

    def update(self, records: int, done_bytes: int) -> None:
        """Records read so far and the bytes of input they came from."""
        self._records = records
        now = time.monotonic()
        rate = records / max(now - self._started, 1e-6)
        if self._bar is not None:
            self._bar.update(done_bytes - self._bar.n)
            self._bar.set_postfix_str(f"{records} records, {rate:,.0f} records/s", refresh=False)
        elif now - self._last_line >= self._every:
            self._last_line = now
            share = ""
            if self._total:
                fraction = min(done_bytes / self._total, 1.0)
                left = (now - self._started) * (1 - fraction) / max(fraction, 1e-6)
                share = f", {fraction:.0%} of the input, about {left:.0f} s left"
            print(
                f"import: {records} records, {rate:,.0f} records/s{share}",
                file=self._stream,
                flush=True,
            )

    def figures(self, done: int, total: int) -> None:
        """Researchers whose figures are written so far, of ``total`` (after the records)."""
        now = time.monotonic()
        if self._figures_started is None:
            self._figures_started = self._last_line = now
            if self._stream.isatty():
                self._bar = tqdm(
                    total=total, unit=" researchers", desc="figures", file=self._stream
                )
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
        elif now - self._last_line >= self._every or done == total:
            self._last_line = now
            rate = done / max(now - self._figures_started, 1e-6)
            left = (total - done) / max(rate, 1e-6)
            print(
                f"import: figures of {done} of {total} researchers written, {rate:,.0f}/s, "
                f"about {left:.0f} s left",
                file=self._stream,
                flush=True,
            )

    def close(self) -> None:
        """End the bar (a terminal's line stays, showing the final figures)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def total_bytes(paths: Sequence[Path]) -> int:
    """The size of the input files behind ``paths``: the progress bar's 100 %."""
    return sum(p.stat().st_size for p in input_files(paths).files)


@dataclass(slots=True)
class _Batch:
    """Rows read but not yet written, by entity, each with where it came from.

    An institution named on works and Author records (not its own record) is filled in field
    by field by the first mention the store writes that has the field; within a batch the
    store takes each kind's first mention, and writes the works before the authors. So that
    the input's order decides whatever the batch size, ``named`` gathers each institution's
    fields from its mentions in the order read, and ``settled`` gives those values to every
    mention of the institutions where the store would otherwise keep others (``unsettled``).
    """

    works: list[tuple[str, WorkRow]] = field(default_factory=list)
    authors: list[tuple[str, AuthorRow]] = field(default_factory=list)
    institutions: list[tuple[str, InstitutionRow]] = field(default_factory=list)
    topics: list[tuple[str, TopicRow]] = field(default_factory=list)
    named: dict[str, InstitutionRow] = field(default_factory=dict)
    first_named_by_author: set[str] = field(default_factory=set)
    unsettled: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.works) + len(self.authors) + len(self.institutions) + len(self.topics)

    def add(self, where: str, row: WorkRow | AuthorRow | InstitutionRow | TopicRow) -> None:
        if isinstance(row, WorkRow):
            for authorship in row.authorships:
                self._name(authorship.institutions, by_author=False)
            self.works.append((where, row))
        elif isinstance(row, AuthorRow):
            # In the order the store reads them (graphstore.engines.writes.author_upsert_plan).
            self._name(row.last_known_institutions or (), by_author=True)
            self._name(tuple(a.institution for a in row.affiliations or ()), by_author=True)
            self.authors.append((where, row))
        elif isinstance(row, InstitutionRow):
            self.institutions.append((where, row))
        else:
            self.topics.append((where, row))

    def _name(self, institutions: tuple[InstitutionRow, ...], *, by_author: bool) -> None:
        for institution in institutions:
            iid = institution.id
            known = self.named.setdefault(iid, institution)
            if known is institution:
                if by_author:
                    self.first_named_by_author.add(iid)
                continue
            if known == institution:
                continue
            filled = replace(
                known,
                ror=known.ror if known.ror is not None else institution.ror,
                country=known.country if known.country is not None else institution.country,
                type=known.type if known.type is not None else institution.type,
            )
            if filled != known:
                # A later mention fills in what the first lacked.
                self.named[iid] = filled
                self.unsettled.add(iid)
            elif not by_author and iid in self.first_named_by_author:
                # The store would write this work's mention before the first, an author's.
                self.unsettled.add(iid)

    def settled(self) -> _Batch:
        """This batch with every institution mention carrying the values gathered in
        ``named``: only the rows naming an unsettled institution change."""
        if not self.unsettled:
            return self
        self.works = [(where, self._work_settled(work)) for where, work in self.works]
        self.authors = [(where, self._author_settled(author)) for where, author in self.authors]
        self.unsettled.clear()
        return self

    def _settled(self, institutions: tuple[InstitutionRow, ...]) -> tuple[InstitutionRow, ...]:
        return tuple(self.named[i.id] for i in institutions)

    def _names_unsettled(self, institutions: Iterable[InstitutionRow]) -> bool:
        unsettled = self.unsettled
        return any(i.id in unsettled for i in institutions)

    def _work_settled(self, work: WorkRow) -> WorkRow:
        if not any(self._names_unsettled(a.institutions) for a in work.authorships):
            return work
        authorships = tuple(
            replace(a, institutions=self._settled(a.institutions)) for a in work.authorships
        )
        return replace(work, authorships=authorships)

    def _author_settled(self, author: AuthorRow) -> AuthorRow:
        last_known = author.last_known_institutions
        affiliations = author.affiliations
        if not self._names_unsettled(last_known or ()) and not self._names_unsettled(
            a.institution for a in affiliations or ()
        ):
            return author
        return replace(
            author,
            last_known_institutions=None if last_known is None else self._settled(last_known),
            affiliations=None
            if affiliations is None
            else tuple(replace(a, institution=self.named[a.institution.id]) for a in affiliations),
        )


def map_source(source: SourceRecord, records: dict[str, int]) -> ImportRow | None:
    """The import row of a record read, counted by entity in ``records``; None for an entity
    the graph does not hold. Raises RecordError for a record that cannot be imported."""
    if source.record is None:
        raise RecordError(source.problem or "unreadable record")
    entity = entity_of(source.record)
    records[entity] = records.get(entity, 0) + 1
    return import_row(entity, source.record) if entity in IMPORTED_ENTITIES else None


class _Reader:
    """Reads records into batches; runs in a worker thread, one batch at a time."""

    def __init__(
        self,
        files: Sequence[Path],
        report: ImportReport,
        problem: Callable[[str, str], None],
        progress: Progress | None,
    ) -> None:
        self._position = _Position()
        self._records = (source for path in files for source in read_records(path, self._position))
        self._report = report
        self._problem = problem
        self._progress = progress
        self._seen = 0

    def next_batch(self, size: int) -> _Batch:
        """Up to ``size`` mapped rows; an empty batch when the input is exhausted."""
        batch = _Batch()
        records = self._report.records
        for source in self._records:
            self._seen += 1
            if self._progress is not None and self._seen % _PROGRESS_EVERY == 0:
                self._progress.update(self._seen, self._position.bytes_read())
            try:
                row = map_source(source, records)
            except RecordError as error:
                self._problem(source.where, str(error))
                continue
            if row is not None:
                batch.add(source.where, row)
            if len(batch) >= size:
                break
        if self._progress is not None:
            self._progress.update(self._seen, self._position.bytes_read())
        return batch.settled()


async def import_openalex(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    batch_size: int | None = None,
    max_errors: int = DEFAULT_MAX_ERRORS,
    progress: Progress | None = None,
    report_problem: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import OpenAlex records from files or snapshot folders into the store.

    ``batch_size`` defaults to the engine's entry in DEFAULT_BATCH_SIZES. More than
    ``max_errors`` bad records stop the run: the report comes back with ``aborted`` set
    (batches already written stay written). The run ends by writing the figures of the
    researchers its batches changed, once each (GraphStore.refresh_stale_figures): a batch
    marks them stale in its transaction, and reads walk for them until then.
    """
    if batch_size is None:
        batch_size = DEFAULT_BATCH_SIZES.get(store.engine, 5_000)
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    report = ImportReport()
    started = time.monotonic()
    inputs = input_files(paths)
    report.unapplied_merged_ids = inputs.merged_ids

    def problem(where: str, reason: str) -> None:
        report.skip(where, reason, max_errors, report_problem)

    def wrote(summary: WriteSummary) -> None:
        # Counted as each transaction commits: a run stopped while a refused batch is being
        # retried in halves still counts the halves that landed.
        report.written += summary

    reader = _Reader(inputs.files, report, problem, progress)
    before = await store.counts()
    writing: asyncio.Task[None] | None = None
    try:
        while True:
            # Read the next batch while the previous one is being written.
            batch = await asyncio.to_thread(reader.next_batch, batch_size)
            if writing is not None:
                done, writing = writing, None
                await done
            if not len(batch):
                break
            writing = asyncio.create_task(_write_batch(store, batch, problem, wrote))
    except ImportAbortedError:
        report.aborted = True
    finally:
        if writing is not None:
            # Stopped or interrupted: the transaction in flight ends, whole or not at all.
            await asyncio.wait([writing])
            if not writing.cancelled():
                writing.exception()  # retrieved: the stop that is under way says why
        if progress is not None:
            progress.close()
    figures_started = time.monotonic()
    report.figures = await store.refresh_stale_figures(
        None if progress is None else progress.figures
    )
    report.figures_seconds = time.monotonic() - figures_started
    if progress is not None:
        progress.close()
    report.seconds = time.monotonic() - started
    after = await store.counts()
    report.nodes_added = _total(after, "nodes") - _total(before, "nodes")
    report.edges_added = _total(after, "edges") - _total(before, "edges")
    return report


def _total(counts: GraphCounts, kind: str) -> int:
    return sum((counts.nodes if kind == "nodes" else counts.edges).values())


async def _write_batch(
    store: GraphStore,
    batch: _Batch,
    problem: Callable[[str, str], None],
    wrote: Callable[[WriteSummary], None],
) -> None:
    """Write one batch, each kind of record a transaction (or, refused, halves of one); a
    batch's writes end here, so what must follow them goes at the end."""
    # Institutions and topics before the works and authors that name them: their records
    # then set the names, and the works only fill in what is missing.
    if batch.institutions:
        await _write_rows(store.upsert_institutions, batch.institutions, problem, wrote)
    if batch.topics:
        await _write_rows(store.upsert_topics, batch.topics, problem, wrote)
    if batch.works:
        await _write_rows(store.upsert_works, batch.works, problem, wrote)
    if batch.authors:
        await _write_rows(store.upsert_authors, batch.authors, problem, wrote)


async def _write_rows(
    write: Callable[[Sequence[RowT]], Awaitable[WriteSummary]],
    rows: Sequence[tuple[str, RowT]],
    problem: Callable[[str, str], None],
    wrote: Callable[[WriteSummary], None],
) -> None:
    try:
        wrote(await write([row for _, row in rows]))
        return
    except StoreUnavailableError:
        raise
    except StoreError as error:
        if len(rows) == 1:
            problem(rows[0][0], f"rejected by the store ({error})")
            return
    # The batch failed as a whole: retry its halves, down to single records, so that only
    # the records the store refuses are lost.
    middle = len(rows) // 2
    await _write_rows(write, rows[:middle], problem, wrote)
    await _write_rows(write, rows[middle:], problem, wrote)
