"""A bounded mixed load on a running (or freshly started) service, loopback only.

    python bench/load.py [--url http://127.0.0.1:8000] [--seconds 60] [--clients 32]

Without --url it starts `researchgraph serve` on a free port with a scratch data dir (the
embedded store and its demo data) and measures that process. Clients loop over the profile,
explorer and search queries until the time is up; the script prints request counts, errors,
p50/p99 latency per kind, and the server's RSS before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "web" / "queries"
SEED = "A925533110232"
WORKLOAD = {
    "profile": ((QUERIES / "profile.graphql").read_text(), {"id": SEED}),
    "explorer": (
        (QUERIES / "explorer.graphql").read_text(),
        {"center": SEED, "depth": 2, "limit": 200},
    ),
    "search": (
        "query ($q: String!) { search(query: $q, first: 10) { totalCount nodes { id } } }",
        {"q": "augmentation robustness"},
    ),
}


def rss_kib(pid: int) -> int:
    """Resident set size of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


async def client(
    http: httpx.AsyncClient,
    until: float,
    offset: int,
    results: dict[str, list[float]],
    errors: list[str],
) -> None:
    kinds = list(WORKLOAD)
    turn = offset
    while time.monotonic() < until:
        kind = kinds[turn % len(kinds)]
        turn += 1
        query, variables = WORKLOAD[kind]
        started = time.perf_counter()
        try:
            response = await http.post("/graphql", json={"query": query, "variables": variables})
            body = response.json()
            if response.status_code != 200 or "errors" in body:
                errors.append(f"{kind}: {response.status_code} {str(body)[:200]}")
        except httpx.HTTPError as error:
            errors.append(f"{kind}: {error!r}")
        results[kind].append(time.perf_counter() - started)


async def run(url: str, seconds: float, clients: int, pid: int | None) -> None:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        results: dict[str, list[float]] = {kind: [] for kind in WORKLOAD}
        errors: list[str] = []
        # Warm up at full concurrency (connections, caches, the allocator's arenas) so the
        # first RSS reading is the steady state, not the cold start.
        warm_until = time.monotonic() + min(10.0, seconds / 3)
        await asyncio.gather(
            *(client(http, warm_until, i, results, errors) for i in range(clients))
        )
        results = {kind: [] for kind in WORKLOAD}
        before = rss_kib(pid) if pid else None
        until = time.monotonic() + seconds
        await asyncio.gather(*(client(http, until, i, results, errors) for i in range(clients)))
        after = rss_kib(pid) if pid else None
    total = sum(len(v) for v in results.values())
    rate = total / seconds
    print(
        f"{clients} clients, {seconds:.0f} s: {total} requests, {rate:.1f}/s, {len(errors)} errors"
    )
    for kind, latencies in results.items():
        if latencies:
            q = statistics.quantiles(latencies, n=100)
            p50, p99 = q[49] * 1000, q[98] * 1000
            print(f"  {kind:9s} n={len(latencies):6d} p50={p50:7.1f} ms p99={p99:7.1f} ms")
    if before and after:
        growth = (after - before) / before
        print(f"  server RSS: {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after", end="")
        print(f" ({growth:+.1%})")
    for line in errors[:10]:
        print("  error:", line)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    if args.url:
        asyncio.run(run(args.url, args.seconds, args.clients, None))
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "researchgraph.cli",
                "serve",
                "--port",
                str(port),
                "--data-dir",
                data_dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "RESEARCHGRAPH_STORE": "embedded"},
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            asyncio.run(run(url, args.seconds, args.clients, server.pid))
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
