"""`researchgraph import openalex` as a user runs it: killed midway, run again, same graph."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphstore.engines.embedded_store import EmbeddedStore
from graphstore.protocol import GraphCounts
from tests.graphstore.test_import import conference_slice

COMMAND = [sys.executable, "-m", "researchgraph.cli", "import", "openalex"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RESEARCHGRAPH_"))}
    env["RESEARCHGRAPH_STORE"] = "embedded"
    return env


def _import(data: Path, data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, str(data), "--data-dir", str(data_dir), "--batch-size", "300", *extra],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _counts(data_dir: Path) -> GraphCounts:
    async def count() -> GraphCounts:
        store = EmbeddedStore(data_dir / "graph.lbdb")
        try:
            return await store.counts()
        finally:
            await store.close()

    return asyncio.run(count())


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_a_written_batch(search_index: Path, process: subprocess.Popen[str]) -> None:
    """Return once the import's search index holds a document: the embedded store indexes a
    batch after its graph transaction commits, so at least one batch is in the graph."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(
                sqlite3.connect(f"file:{search_index}?mode=ro", uri=True, timeout=0.1)
            ) as index,
        ):
            if index.execute("SELECT count(*) FROM search_node").fetchone()[0] > 0:
                return
        time.sleep(0.02)
    raise AssertionError("the import ended or wrote nothing before it could be interrupted")


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_interrupted_import_run_again_gives_the_clean_graph(
    tmp_path: Path, stop: signal.Signals
) -> None:
    data = conference_slice(tmp_path, 4000)
    clean = _import(data, tmp_path / "clean")
    assert clean.returncode == 0, clean.stderr
    expected = _counts(tmp_path / "clean")
    assert expected.nodes["Work"] == 4000

    # 80 batches of 50: the signal comes right after the first one is in the graph.
    interrupted_dir = tmp_path / "interrupted"
    process = subprocess.Popen(
        [*COMMAND, str(data), "--data-dir", str(interrupted_dir), "--batch-size", "50"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A user's Ctrl-C: SIGINT with its default action, even when these tests run as a
        # background job, whose children inherit SIGINT ignored.
        preexec_fn=_default_sigint,
    )
    _wait_for_a_written_batch(interrupted_dir / "graph.lbdb.search.sqlite", process)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=120)
    if stop == signal.SIGINT:
        assert process.returncode == 130, stderr
        assert "run the same command again" in stderr
        assert "Traceback" not in stderr
    else:
        assert process.returncode == -signal.SIGKILL
    partial = _counts(interrupted_dir)
    assert 0 < partial.nodes["Work"] < 4000, "the interruption missed the import"

    again = _import(data, interrupted_dir)
    assert again.returncode == 0, again.stderr
    assert _counts(interrupted_dir) == expected


def test_too_many_bad_records_exit_1_with_a_summary(tmp_path: Path) -> None:
    lines = conference_slice(tmp_path, 100).read_bytes().splitlines()
    lines[10:20] = [b"{not json"] * 10
    data = tmp_path / "bad.jsonl"
    data.write_bytes(b"\n".join(lines))

    result = _import(data, tmp_path / "db", "--max-errors", "3")

    assert result.returncode == 1
    assert f"skipped {data}:11: malformed JSON" in result.stderr
    assert "import stopped: more than 3 bad records" in result.stderr
    assert "skipped: 4 bad records" in result.stdout
    assert "stopped early" in result.stdout


def test_folder_without_record_files_exits_2_before_writing(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()

    result = _import(folder, tmp_path / "db")

    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"researchgraph: no record files (.jsonl, .json, .gz; or a snapshot's part_*.gz) "
        f"found under {folder}"
    )
    assert not (tmp_path / "db").exists()


@pytest.fixture
def without_root_reads() -> list[str]:
    """A command prefix under which file modes are obeyed: root reads every file whatever its
    mode, so as root the command runs without the capabilities that let it."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and no setpriv to drop root's read permissions")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_unreadable_input_exits_2_before_writing(
    tmp_path: Path, without_root_reads: list[str], locked: str
) -> None:
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    good = conference_slice(data, 20)
    target = data / "sub"
    if locked == "file":
        target = data / "sub" / "locked.jsonl"
        target.write_bytes(good.read_bytes())
    target.chmod(0)

    result = subprocess.run(
        [*without_root_reads, *COMMAND, str(data), "--data-dir", str(tmp_path / "db")],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 2, result.stderr
    what = "" if locked == "file" else "folder "
    assert result.stderr == f"researchgraph: cannot read {what}{target}: Permission denied\n"
    assert not (tmp_path / "db").exists()
