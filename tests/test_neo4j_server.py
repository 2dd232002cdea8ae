"""Starts a real Neo4j server (no Docker, no mocks), uses it, and stops it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from researchgraph.neo4j_server import Neo4jServerError, start, status, stop

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_start_query_status_stop(tmp_path: Path) -> None:
    port = _free_port()
    try:
        uri = start(tmp_path, port, heap="512m", pagecache="64m")
        assert uri == f"bolt://127.0.0.1:{port}"

        with GraphDatabase.driver(uri, auth=None) as driver:
            driver.execute_query("CREATE (:Probe {name: $name})", name="hello")
            records, _, _ = driver.execute_query("MATCH (p:Probe) RETURN p.name AS name")
        assert [r["name"] for r in records] == ["hello"]

        st = status(tmp_path)
        assert st.running
        assert st.pid is not None
        assert st.uri == uri
        assert b"-Xmx512m" in Path(f"/proc/{st.pid}/cmdline").read_bytes().split(b"\0")
        # A second start for the same data dir reuses the running server.
        assert start(tmp_path, port) == uri
        assert status(tmp_path).pid == st.pid
    finally:
        was_running = stop(tmp_path)

    assert was_running
    st = status(tmp_path)
    assert not st.running
    assert st.pid is None
    assert st.uri is None
    assert not _port_open(port)
    assert not (tmp_path / "neo4j" / "neo4j.pid").exists()
    assert stop(tmp_path) is False


@pytest.mark.parametrize(("heap", "pagecache"), [("lots", "64m"), ("512m", "64 MB"), ("0g", "1g")])
def test_a_bad_memory_size_is_refused_before_java_starts(
    tmp_path: Path, heap: str, pagecache: str
) -> None:
    with pytest.raises(Neo4jServerError, match="is not a memory size such as 512m or 4g"):
        start(tmp_path, _free_port(), heap=heap, pagecache=pagecache)
    assert not (tmp_path / "neo4j" / "neo4j.pid").exists()
