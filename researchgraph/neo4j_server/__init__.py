"""Run a real Neo4j 5.26 Community server without Docker.

The jars come from Maven Central through the tiny ``pom.xml`` beside this file, and
``Launcher.java`` (a single-file Java program) starts an embedded server with Bolt on
127.0.0.1 and auth disabled. Everything a running server needs lives under
``<data_dir>/neo4j/``::

    neo4j.pid    pid of the launcher JVM
    neo4j.json   {"pid": ..., "port": ..., "uri": ...}, so status/stop know the URI
    neo4j.log    stdout/stderr of the JVM (Neo4j's own logs are in home/logs/)
    home/        the database home (store files)

Used by ``researchgraph neo4j start|stop|status`` and by tests/CI. :func:`import_full` runs
``neo4j-admin database import full`` (its import tool is among the same jars) into a stopped
server's home, for the bulk first load (``researchgraph import openalex --bulk``).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

__all__ = [
    "NEO4J_VERSION",
    "Neo4jServerError",
    "ServerStatus",
    "ensure_jars",
    "has_database",
    "import_full",
    "is_empty",
    "start",
    "status",
    "stop",
]

_PACKAGE_DIR = Path(__file__).resolve().parent
_POM = _PACKAGE_DIR / "pom.xml"
_LAUNCHER = _PACKAGE_DIR / "Launcher.java"

# A memory size as both the JVM (-Xmx) and Neo4j's page cache setting read it: 512m, 4g.
_MEMORY_SIZE = re.compile(r"[1-9][0-9]*[kmg]", re.IGNORECASE)

# JDK 17 refuses Neo4j's reflective access to NIO internals without these.
_JVM_OPENS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
]


def _pom_version() -> str:
    # The pom is the single source of truth for the version, so the cache dir can't drift from it.
    match = re.search(r"<neo4j\.version>\s*([^<\s]+)\s*</neo4j\.version>", _POM.read_text())
    if match is None:
        raise RuntimeError(f"no <neo4j.version> property in {_POM}")
    return match.group(1)


NEO4J_VERSION: str = _pom_version()
"""Neo4j version whose jars :func:`ensure_jars` fetches (from ``pom.xml``)."""


class Neo4jServerError(Exception):
    """The server could not be fetched, started or stopped; the message says why."""


@dataclass(frozen=True)
class ServerStatus:
    """Whether the server of a data dir runs (its process is alive, not necessarily ready)."""

    running: bool
    pid: int | None
    uri: str | None


# ---------------------------------------------------------------------------------------------
# Jars


def _cache_root() -> Path:
    env = os.environ.get("RESEARCHGRAPH_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "researchgraph"


def _require(tool: str, what: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise Neo4jServerError(
            f"`{tool}` is not on PATH: {what}. Install a JDK 17+ and Maven "
            "(e.g. `apt-get install openjdk-17-jdk-headless maven`), or use Docker "
            "(`docker compose up`) and set NEO4J_URI."
        )
    return path


@contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    # Serialises concurrent callers (parallel test workers, two CLI calls) on one directory.
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_jars() -> Path:
    """Fetch the Neo4j jars with Maven (once) and return the directory holding them.

    The cache is ``$RESEARCHGRAPH_CACHE_DIR/neo4j-<version>/lib``, by default under
    ``~/.cache/researchgraph``. Maven's own ``~/.m2`` cache makes a refetch cheap.
    """
    base = _cache_root() / f"neo4j-{NEO4J_VERSION}"
    lib = base / "lib"
    # Written only after mvn succeeded, so an interrupted fetch is redone instead of trusted.
    marker = base / "complete"
    if marker.exists():
        return lib
    with _locked(base / ".lock"):
        if marker.exists():  # another process finished the fetch while we waited
            return lib
        mvn = _require("mvn", "Maven is needed to fetch the Neo4j jars")
        _require("java", "Maven and Neo4j need Java")
        shutil.rmtree(lib, ignore_errors=True)  # drop leftovers of an interrupted fetch
        cmd = [
            mvn,
            "-B",
            "-q",
            "-f",
            str(_POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={lib}",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            out = (proc.stdout + proc.stderr).strip().splitlines()
            raise Neo4jServerError(
                f"fetching the Neo4j {NEO4J_VERSION} jars failed (mvn exit {proc.returncode}):\n"
                + "\n".join(out[-30:])
            )
        if not any(lib.glob("neo4j-kernel-*.jar")):
            raise Neo4jServerError(f"mvn succeeded but put no Neo4j jars in {lib}")
        marker.write_text(NEO4J_VERSION + "\n")
    return lib


# ---------------------------------------------------------------------------------------------
# Server process

# Children started by this process: a dead child stays a zombie (and looks alive to kill(pid, 0))
# until reaped, so for these we ask Popen.poll(), which reaps.
_children: dict[int, subprocess.Popen[bytes]] = {}


def _state_dir(data_dir: Path) -> Path:
    return data_dir.resolve() / "neo4j"


def _uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


def _read_state(data_dir: Path) -> tuple[int | None, int | None]:
    """Return (pid, port) from the state files; None for whatever is missing or unreadable."""
    sdir = _state_dir(data_dir)
    try:
        pid: int | None = int((sdir / "neo4j.pid").read_text().strip())
    except (OSError, ValueError):
        pid = None
    try:
        port = json.loads((sdir / "neo4j.json").read_text())["port"]
        port = port if isinstance(port, int) else None
    except (OSError, ValueError, KeyError, TypeError):
        port = None
    return pid, port


def _alive(pid: int, home: Path) -> bool:
    """True if ``pid`` is a live launcher for ``home``, not a pid reused by another program."""
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists but belongs to someone else, so not ours
        return False
    proc = Path(f"/proc/{pid}")
    if proc.is_dir():  # Linux: also rule out zombies and pids recycled after a reboot
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return state != "Z" and str(home).encode() in cmdline
    return True


def _log_tail(log: Path, lines: int = 25) -> str:
    try:
        text = log.read_text(errors="replace").rstrip().splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:]) or "(log is empty)"


def _port_free(port: int) -> bool:
    # SO_REUSEADDR like the server's own socket, so TIME_WAIT leftovers don't count as taken.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _answers(uri: str) -> bool:
    try:
        with GraphDatabase.driver(uri, auth=None, connection_timeout=2.0) as driver:
            driver.verify_connectivity()
            # Bolt can be up before the default database is; a query proves the database is.
            records, _, _ = driver.execute_query("RETURN 1 AS ok")
            return bool(records and records[0]["ok"] == 1)
    except (DriverError, Neo4jError, OSError):
        return False


def _wait_ready(pid: int, home: Path, uri: str, log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _alive(pid, home):
            raise Neo4jServerError(
                f"Neo4j exited during start; last lines of {log}:\n" + _log_tail(log)
            )
        if _answers(uri):
            return
        time.sleep(0.5)
    raise Neo4jServerError(
        f"Neo4j did not answer on {uri} within {timeout_s:.0f} s; "
        f"last lines of {log}:\n" + _log_tail(log)
    )


def start(
    data_dir: Path,
    port: int = 7687,
    *,
    heap: str = "1g",
    pagecache: str = "512m",
    timeout_s: float = 120,
) -> str:
    """Start Neo4j for ``data_dir`` on 127.0.0.1:``port`` and return its bolt URI once it answers.

    The server runs detached (it outlives this process) until :func:`stop`. If one already
    runs for ``data_dir``, its URI is returned (after waiting until it answers) and ``port``
    is ignored, as are ``heap`` (the JVM ``-Xmx``) and ``pagecache`` (Neo4j's page cache),
    both sizes such as ``512m`` or ``4g``.
    Raises :class:`Neo4jServerError` if Java/Maven are missing, the port is taken, or the
    server dies or stays silent during start (the message holds the end of the log).
    """
    for name, size in (("heap", heap), ("page cache", pagecache)):
        if not _MEMORY_SIZE.fullmatch(size):
            raise Neo4jServerError(f"{name} size {size!r} is not a memory size such as 512m or 4g")
    sdir = _state_dir(data_dir)
    home, log = sdir / "home", sdir / "neo4j.log"
    sdir.mkdir(parents=True, exist_ok=True)
    with _locked(sdir / ".lock"):
        pid, old_port = _read_state(data_dir)
        if pid is not None and old_port is not None and _alive(pid, home):
            uri = _uri(old_port)
            _wait_ready(pid, home, uri, log, timeout_s)
            return uri

        java = _require("java", "Neo4j needs Java 17")
        lib = ensure_jars()
        # Checked up front: otherwise the JVM needs ~20 s to fail, and the readiness poll
        # could meanwhile get answers from whatever holds the port.
        if not _port_free(port):
            raise Neo4jServerError(
                f"port {port} on 127.0.0.1 is already in use; "
                "stop what holds it or pick another port"
            )

        cmd = [
            java,
            f"-Xmx{heap}",
            *_JVM_OPENS,
            "-cp",
            f"{lib}/*",
            str(_LAUNCHER),
            str(home),
            str(port),
            pagecache,
        ]
        with log.open("wb") as out:
            # A new session keeps Ctrl-C in the caller's terminal from killing the server.
            child = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _children[child.pid] = child
        uri = _uri(port)
        (sdir / "neo4j.pid").write_text(f"{child.pid}\n")
        (sdir / "neo4j.json").write_text(json.dumps({"pid": child.pid, "port": port, "uri": uri}))
        try:
            _wait_ready(child.pid, home, uri, log, timeout_s)
        except Neo4jServerError:
            _stop_locked(data_dir, timeout_s=30)  # don't leave a half-started JVM behind
            raise
        return uri


def _stop_locked(data_dir: Path, timeout_s: float) -> bool:
    sdir = _state_dir(data_dir)
    pid, _ = _read_state(data_dir)
    running = pid is not None and _alive(pid, sdir / "home")
    if pid is not None and running:
        # SIGTERM runs the launcher's shutdown hook, which closes the store cleanly.
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while _alive(pid, sdir / "home") and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid, sdir / "home"):
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while _alive(pid, sdir / "home") and time.monotonic() < deadline:
                time.sleep(0.1)
        _children.pop(pid, None)
    for name in ("neo4j.pid", "neo4j.json"):
        (sdir / name).unlink(missing_ok=True)
    return running


def stop(data_dir: Path, timeout_s: float = 60) -> bool:
    """Stop the server of ``data_dir`` (SIGTERM, SIGKILL after ``timeout_s``).

    Removes the pid and state files; returns whether a server was running.
    """
    sdir = _state_dir(data_dir)
    if not sdir.is_dir():
        return False
    with _locked(sdir / ".lock"):
        return _stop_locked(data_dir, timeout_s)


def status(data_dir: Path) -> ServerStatus:
    """Report whether a server runs for ``data_dir``, with its pid and bolt URI."""
    pid, port = _read_state(data_dir)
    if pid is None or not _alive(pid, _state_dir(data_dir) / "home"):
        return ServerStatus(running=False, pid=None, uri=None)
    return ServerStatus(running=True, pid=pid, uri=_uri(port) if port is not None else None)


# ---------------------------------------------------------------------------------------------
# neo4j-admin

# The database the server (Launcher.java) serves, in the home's default layout.
_DATABASE = "neo4j"


def has_database(data_dir: Path) -> bool:
    """Whether the server of ``data_dir`` has store files (it has been started or loaded)."""
    return (_state_dir(data_dir) / "home" / "data" / "databases" / _DATABASE).is_dir()


def is_empty(uri: str) -> bool:
    """Whether the database at ``uri`` holds no node (so no edge either)."""
    with GraphDatabase.driver(uri, auth=None, connection_timeout=5.0) as driver:
        records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
    return bool(records[0]["n"] == 0)


def import_full(
    data_dir: Path,
    arguments: Sequence[str],
    *,
    heap: str = "1g",
    output: Callable[[str], None] | None = None,
) -> None:
    """Run ``neo4j-admin database import full`` with ``arguments`` (files and options) into
    the database of ``data_dir``'s server, which must be stopped. The caller makes sure that
    database is empty: ``--overwrite-destination`` among the arguments replaces its files.

    ``output`` receives neo4j-admin's lines as they come (its phases and progress); the
    last of them are in the :class:`Neo4jServerError` raised if the import fails.
    """
    if not _MEMORY_SIZE.fullmatch(heap):
        raise Neo4jServerError(f"heap size {heap!r} is not a memory size such as 512m or 4g")
    sdir = _state_dir(data_dir)
    home = sdir / "home"
    sdir.mkdir(parents=True, exist_ok=True)
    with _locked(sdir / ".lock"):
        pid, _ = _read_state(data_dir)
        if pid is not None and _alive(pid, home):
            raise Neo4jServerError(f"Neo4j runs for {data_dir}; stop it before an import")
        java = _require("java", "neo4j-admin needs Java 17")
        lib = ensure_jars()
        home.mkdir(parents=True, exist_ok=True)
        cmd = [
            java,
            f"-Xmx{heap}",
            *_JVM_OPENS,
            "-cp",
            f"{lib}/*",
            "org.neo4j.cli.AdminTool",
            "database",
            "import",
            "full",
            *arguments,
            f"--report-file={sdir / 'import.report'}",
            _DATABASE,
        ]
        env = {**os.environ, "NEO4J_HOME": str(home)}
        env.pop("NEO4J_CONF", None)  # the home's own (default) configuration, as the server's
        tail: list[str] = []
        with subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                tail = [*tail[-29:], line.rstrip()]
                if output is not None:
                    output(line.rstrip())
        if proc.returncode != 0:
            raise Neo4jServerError(
                f"neo4j-admin import failed (exit {proc.returncode}):\n" + "\n".join(tail)
            )
