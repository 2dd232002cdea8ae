"""The `researchgraph` command as a user runs it: real processes, real databases."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from researchgraph.cli import GC_YOUNG_THRESHOLD, tune_gc_for_serving
from tests.conftest import SEED_RESEARCHER, SEED_WORKS, _free_port

QUERY = (
    '{ researcher(id: "%s") { name stats { works } '
    "works(first: 10) { totalCount nodes { title } } } }"
).replace("%s", SEED_RESEARCHER)
COMMAND = [sys.executable, "-m", "researchgraph.cli"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RESEARCHGRAPH_"))}
    env.update(extra)
    return env


def _run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`researchgraph ARGS...` run to its end, its output captured as text."""
    return subprocess.run(
        [*COMMAND, *args],
        env=_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def _serve(data_dir: Path, port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """`researchgraph serve` in a child process, stopped with Ctrl-C (SIGINT) at the end."""
    log_path = data_dir / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*COMMAND, "serve", "--port", str(port), "--data-dir", str(data_dir)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGINT)
            exit_code = process.wait(timeout=30)
    assert exit_code == 0, log_path.read_text()


def _ask(port: int, process: subprocess.Popen[bytes]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        try:
            response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": QUERY})
            body: dict[str, Any] = response.json()
            return body
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("serve did not answer")
            time.sleep(0.3)


def _expect_seed_answer(body: dict[str, Any]) -> None:
    researcher = body["data"]["researcher"]
    assert researcher["name"] == "Ekin D. Cubuk"
    assert researcher["stats"]["works"] == 8
    assert researcher["works"]["totalCount"] == 8
    assert len(researcher["works"]["nodes"]) == 8


def test_serve_loads_demo_data_stops_on_ctrl_c_and_reopens(tmp_path: Path) -> None:
    port = _free_port()
    with _serve(tmp_path, port, _env()) as server:
        _expect_seed_answer(_ask(port, server))
        second = _run("serve", "--port", str(_free_port()), "--data-dir", str(tmp_path))
        assert second.returncode == 2
        assert "in use by another process" in second.stderr
        assert "Traceback" not in second.stderr
    with _serve(tmp_path, port, _env()) as restarted:
        _expect_seed_answer(_ask(port, restarted))
    assert not list(tmp_path.glob("*.wal"))


@pytest.mark.neo4j
def test_import_into_neo4j_then_serve_from_it(tmp_path: Path, neo4j_uri: str) -> None:
    env = _env(NEO4J_URI=neo4j_uri, RESEARCHGRAPH_JWT_SECRET="test-secret-" + "x" * 32)
    imported = _run("import", "openalex", str(SEED_WORKS), env=env, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert "8 works" in imported.stdout
    port = _free_port()
    with _serve(tmp_path, port, env) as server:
        _expect_seed_answer(_ask(port, server))


def test_neo4j_store_without_uri_is_a_clear_error(tmp_path: Path) -> None:
    result = _run("import", "openalex", str(SEED_WORKS), "--store", "neo4j")
    assert result.returncode == 2
    assert "NEO4J_URI" in result.stderr


def test_neo4j_start_refuses_a_bad_heap_size(tmp_path: Path) -> None:
    result = _run("neo4j", "start", "--data-dir", str(tmp_path), "--heap", "lots")
    assert result.returncode == 2
    assert "heap size 'lots' is not a memory size such as 512m or 4g" in result.stderr


def test_serving_tunes_the_garbage_collector() -> None:
    before = gc.get_threshold()
    try:
        tune_gc_for_serving()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
