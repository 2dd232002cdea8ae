"""What every benchmark section needs: the processes under test, a load loop, statistics.

Processes (all on 127.0.0.1, all stopped by the context managers that start them):
- a real Neo4j 5.26 (researchgraph.neo4j_server) in a scratch directory;
- `researchgraph serve` under uvicorn, with RESEARCHGRAPH_DEBUG=1 so every response carries
  extensions.dbQueries and dbMillis, and uvicorn's logs in a file;
- the peer, `node bench/peer/server.mjs` (@neo4j/graphql on Apollo Server).

Each process started here is registered under the address it serves (``pid_of``), so a load
run can charge the CPU time each process spent to the calls it served (``repeat(watch=...)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from http_load import HTTPError, LoadClient

from researchgraph import neo4j_server

ROOT = Path(__file__).resolve().parents[1]
PEER_DIR = ROOT / "bench" / "peer"
BENCH_PROCESS = "load client"
"""The role of this process (the load loop, and the floor's driver) in ``repeat(watch=...)``."""

_PIDS: dict[str, int] = {}


def pid_of(address: str) -> int | None:
    """The pid serving ``address`` (a URL or bolt URI yielded here); None if not started here."""
    return _PIDS.get(address)


@contextlib.contextmanager
def _registered(address: str, pid: int | None) -> Iterator[None]:
    if pid is not None:
        _PIDS[address] = pid
    try:
        yield
    finally:
        _PIDS.pop(address, None)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds used so far by ``pid`` (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def neo4j(data_dir: Path, heap: str, pagecache: str) -> Iterator[str]:
    """A real Neo4j for ``data_dir``; yields its bolt URI and stops it afterwards."""
    uri = neo4j_server.start(data_dir, free_port(), heap=heap, pagecache=pagecache, timeout_s=300)
    try:
        with _registered(uri, neo4j_server.status(data_dir).pid):
            yield uri
    finally:
        neo4j_server.stop(data_dir)


def _wait_http(url: str, process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if ready():
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within 120 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def our_server(
    log: Path,
    *,
    neo4j_uri: str | None = None,
    data_dir: Path | None = None,
    profile_to: Path | None = None,
) -> Iterator[str]:
    """`researchgraph serve` on Neo4j (``neo4j_uri``) or on the embedded store in ``data_dir``.

    With ``profile_to``, the server runs under pyinstrument, which writes its JSON profile
    there when the server stops.
    """
    port = free_port()
    env = {
        **os.environ,
        "RESEARCHGRAPH_DEBUG": "1",
        "RESEARCHGRAPH_JSON_LOGS": "0",
        "RESEARCHGRAPH_DEMO_DATA": "0",
        "RESEARCHGRAPH_JWT_SECRET": secrets.token_urlsafe(48),
        # The service's 10 s deadline would turn a saturated server's queue into 504s; the
        # benchmark wants the latency itself (it still counts any error).
        "RESEARCHGRAPH_REQUEST_TIMEOUT": "120",
    }
    args = ["serve", "--port", str(port)]
    if neo4j_uri is not None:
        env["NEO4J_URI"] = neo4j_uri
        args += ["--store", "neo4j"]
    else:
        assert data_dir is not None
        env.pop("NEO4J_URI", None)
        args += ["--store", "embedded", "--data-dir", str(data_dir)]
    command = [sys.executable, "-m", "researchgraph.cli", *args]
    if profile_to is not None:
        command = [
            sys.executable,
            "-m",
            "pyinstrument",
            "--renderer",
            "json",
            "--outfile",
            str(profile_to),
            "-m",
            "researchgraph.cli",
            *args,
        ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(url, process, lambda: httpx.get(f"{url}/readyz").status_code == 200)
        with _registered(f"{url}/graphql", process.pid):
            yield f"{url}/graphql"
    finally:
        _stop(process)


@contextlib.contextmanager
def peer_server(neo4j_uri: str, log: Path) -> Iterator[str]:
    """@neo4j/graphql on Apollo Server over the same Neo4j (`npm ci` in bench/peer first)."""
    if not (PEER_DIR / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True)
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["node", "server.mjs", neo4j_uri, str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=PEER_DIR,
        )
    url = f"http://127.0.0.1:{port}/"

    def ready() -> bool:
        return httpx.post(url, json={"query": "{ __typename }"}).status_code == 200

    try:
        _wait_http(url, process, ready)
        with _registered(url, process.pid):
            yield url
    finally:
        _stop(process)


class GraphQLError(RuntimeError):
    """A GraphQL response with errors, or not 200."""


async def post_graphql(
    http: LoadClient, url: str, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    status, content = await http.post(url, orjson.dumps({"query": query, "variables": variables}))
    body: dict[str, Any] = orjson.loads(content)
    if status != 200 or body.get("errors"):
        raise GraphQLError(f"{url}: {status} {str(body)[:500]}")
    return body


@dataclass(slots=True)
class Run:
    """One timed repetition: each call's latency (seconds) and the wall time of the whole."""

    latencies: list[float]
    seconds: float
    db_millis: list[float] = field(default_factory=list)
    db_queries: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies) or [float("nan")]
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


Call = Callable[[Run], Awaitable[None]]


def _cpu_now(watch: Mapping[str, int]) -> dict[str, float]:
    return {
        role: time.process_time() if role == BENCH_PROCESS else cpu_seconds(pid)
        for role, pid in watch.items()
    }


async def load(
    call: Call,
    concurrency: int,
    seconds: float,
    min_calls: int = 1,
    watch: Mapping[str, int] | None = None,
) -> Run:
    """``concurrency`` workers call ``call`` back to back until ``seconds`` and ``min_calls``.

    ``call`` may add to the run's db_millis/db_queries; the loop adds the latency. ``watch``
    maps roles to pids whose CPU seconds over the run are recorded (``BENCH_PROCESS``: this
    process, whatever pid is given).
    """
    run = Run([], 0.0)
    cpu_before = _cpu_now(watch or {})
    started = time.perf_counter()
    until = started + seconds

    async def worker() -> None:
        wanted = len(run.latencies) < min_calls
        while (time.perf_counter() < until or wanted) and len(run.errors) < 20:
            begun = time.perf_counter()
            try:
                await call(run)
            except (GraphQLError, HTTPError, orjson.JSONDecodeError) as error:
                run.errors.append(str(error)[:300])
                continue
            run.latencies.append(time.perf_counter() - begun)
            wanted = len(run.latencies) < min_calls

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    cpu_after = _cpu_now(watch or {})
    run.cpu_seconds = {role: cpu_after[role] - cpu_before[role] for role in cpu_before}
    return run


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure over repetitions: the median and the spread (min, max)."""

    median: float
    low: float
    high: float

    @staticmethod
    def of(values: Sequence[float]) -> Figure:
        return Figure(statistics.median(values), min(values), max(values))

    def as_dict(self) -> dict[str, float]:
        return {"median": self.median, "low": self.low, "high": self.high}


async def repeat(
    call: Call,
    concurrency: int,
    seconds: float,
    reps: int,
    warmup: float,
    min_calls: int = 1,
    watch: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Warm up, then ``reps`` timed runs; the figures of each run, summarised over runs.

    With ``watch`` (role -> pid), ``cpu_ms_per_call`` gives each process's CPU milliseconds
    per completed call: what one request costs each side, which noisy wall times hide.
    """
    await load(call, concurrency, warmup, min_calls=min(min_calls, 2))
    runs = [await load(call, concurrency, seconds, min_calls, watch) for _ in range(reps)]
    return summarise(runs, concurrency, watch)


async def interleaved(
    calls: Mapping[str, tuple[Call, Mapping[str, int] | None]],
    concurrency: int,
    seconds: float,
    reps: int,
    warmup: float,
    min_calls: int = 1,
) -> dict[str, dict[str, Any]]:
    """``repeat`` for several sides compared with one another, their runs taken in turn
    (side A, B, C, then A, B, C again...): a drift of the machine over the minutes the
    comparison takes (other load, the JIT, caches) falls on every side alike.

    ``calls`` maps each side to its call and the processes to watch (see ``repeat``).
    """
    for call, _ in calls.values():
        await load(call, concurrency, warmup, min_calls=min(min_calls, 2))
    runs: dict[str, list[Run]] = {side: [] for side in calls}
    for _ in range(reps):
        for side, (call, watch) in calls.items():
            runs[side].append(await load(call, concurrency, seconds, min_calls, watch))
    return {side: summarise(runs[side], concurrency, calls[side][1]) for side in calls}


def summarise(
    runs: Sequence[Run], concurrency: int, watch: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The figures of repeated runs: median and spread of each, errors, queries, CPU."""
    result: dict[str, Any] = {
        "concurrency": concurrency,
        "reps": len(runs),
        "calls": sum(len(r.latencies) for r in runs),
        "errors": sum(len(r.errors) for r in runs),
        "first_error": next((r.errors[0] for r in runs if r.errors), None),
        "rate": Figure.of([r.rate for r in runs]).as_dict(),
        "p50_ms": Figure.of([r.quantile(0.5) * 1000 for r in runs]).as_dict(),
        "p99_ms": Figure.of([r.quantile(0.99) * 1000 for r in runs]).as_dict(),
    }
    if all(r.db_millis for r in runs):
        result["db_ms"] = Figure.of([statistics.median(r.db_millis) for r in runs]).as_dict()
    if all(r.db_queries for r in runs):
        queries = sorted({q for r in runs for q in r.db_queries})
        result["db_queries"] = queries
    if watch:
        result["cpu_ms_per_call"] = {
            role: Figure.of(
                [r.cpu_seconds[role] * 1000 / max(1, len(r.latencies)) for r in runs]
            ).as_dict()
            for role in watch
        }
    return result


def du(path: Path) -> int:
    """Bytes of the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
