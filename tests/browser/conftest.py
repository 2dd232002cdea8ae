"""Browser-test fixtures: the real service in a child process, and Debian's chromium driving it.

Chromium is driven by ``scenarios.mjs`` and ``profile_scenarios.mjs`` (playwright-core, installed
by ``npm ci`` in web/). A machine without chromium, node or the built assets fails these tests
with what to install: they are never skipped, so CI cannot pass without having run them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from researchgraph.web import ASSETS, BUILD_COMMAND
from tests.conftest import _free_port

HERE = Path(__file__).resolve().parent
WEB = HERE.parents[1] / "web"
SCENARIOS = HERE / "scenarios.mjs"
PROFILE_SCENARIOS = HERE / "profile_scenarios.mjs"
ARTIFACTS = HERE / "artifacts"
"""Screenshots of every run (and of a failed step), kept as test artifacts."""
CHROMIUM = Path("/usr/bin/chromium")
ADMIN_EMAIL = "admin@browser-tests.example.org"
"""Signing up with this email makes an administrator of the service (approves claims)."""
SERVE_START_SECONDS = 60
SCENARIO_SECONDS = 180

RunScenario = Callable[..., dict[str, Any]]
"""``run(name, *arguments)``: runs a scenario with its arguments; returns what it saw."""


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `researchgraph serve` on the embedded store with the demo data."""
    data_dir = tmp_path_factory.mktemp("browser-service")
    with serving(data_dir, {"RESEARCHGRAPH_ADMIN_EMAILS": ADMIN_EMAIL}) as url:
        yield url


@contextmanager
def serving(data_dir: Path, settings: dict[str, str]) -> Iterator[str]:
    """`researchgraph serve` on the embedded store in data_dir with these RESEARCHGRAPH_*
    settings (the demo data goes into an empty store unless RESEARCHGRAPH_DEMO_DATA is 0);
    yields its base URL, stops it on exit."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = data_dir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "researchgraph.cli", "serve"),
                *("--port", str(port), "--data-dir", str(data_dir)),
            ],
            env={**embedded_env(), **settings},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(url, process, log_path)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def embedded_env() -> dict[str, str]:
    """The environment for a `researchgraph` command on the embedded store, whatever store the
    test session was pointed at."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RESEARCHGRAPH_"))}


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + SERVE_START_SECONDS
    while True:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"researchgraph serve did not start:\n{log_path.read_text()}")
        time.sleep(0.3)


@pytest.fixture(scope="session")
def node() -> str:
    """The node executable, once everything the scenarios need is known to be there."""
    found = shutil.which("node")
    problems = []
    if found is None:
        problems.append("node is not on PATH: install Node.js 20 or later")
    if not CHROMIUM.is_file():
        problems.append(f"{CHROMIUM} is missing: apt-get install -y chromium (as root)")
    if not (WEB / "node_modules" / "playwright-core").is_dir():
        problems.append(f"playwright-core is not installed: run `{BUILD_COMMAND}`")
    if not (ASSETS / "graphiql.js").is_file():
        problems.append(f"the browser assets are not built: run `{BUILD_COMMAND}`")
    if found is None or problems:
        pytest.fail(
            "the browser tests cannot run (./scripts/test sets all of this up):\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )
    return found


@pytest.fixture
def run_scenario(node: str, service: str) -> RunScenario:
    """Runs a scenario of scenarios.mjs in chromium against the service; returns what it saw."""
    return scenario_runner(node, service, SCENARIOS)


@pytest.fixture
def run_profile_scenario(node: str, service: str) -> RunScenario:
    """Runs a scenario of profile_scenarios.mjs (the researcher page) against the service."""
    return scenario_runner(node, service, PROFILE_SCENARIOS)


def scenario_runner(node: str, service: str, scenarios: Path) -> RunScenario:
    """Runs scenarios of a scenarios file in chromium against the service at that URL."""

    def run(name: str, *arguments: str) -> dict[str, Any]:
        command = [
            *(node, str(scenarios), name, service),
            *(str(ARTIFACTS), str(CHROMIUM), *arguments),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=SCENARIO_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"the {name} scenario took over {SCENARIO_SECONDS}s")
        lines = done.stdout.strip().splitlines()
        if not lines:
            pytest.fail(
                f"the {name} scenario printed nothing (exit {done.returncode}):\n{done.stderr}"
            )
        seen: dict[str, Any] = json.loads(lines[-1])
        if done.returncode != 0:
            pytest.fail(
                f"the {name} scenario failed: {seen.get('error')}\n"
                f"screenshot: {ARTIFACTS / f'{name}-failure.png'}\n"
                f"page errors: {seen.get('pageErrors')}\nconsole errors: "
                f"{seen.get('consoleErrors')}\nrequests to other hosts: {seen.get('blocked')}\n"
                f"{done.stderr}",
                pytrace=False,
            )
        return seen

    return run
