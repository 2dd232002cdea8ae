"""A wheel carries the browser assets: its build runs web/'s esbuild bundle first.

Everything else about the package is in pyproject.toml. An editable install skips this (the
assets are served from the source tree, and ./scripts/test and ./scripts/serve build them).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
ASSETS = ROOT / "researchgraph" / "web" / "assets"


def build_web_assets() -> None:
    """Builds researchgraph/web/assets from web/ with npm, or keeps a build already there
    when web/ is not (a Docker stage built them). No assets at all stops the build."""
    npm = shutil.which("npm")
    if (WEB / "package.json").is_file() and npm:
        installed = WEB / "node_modules" / ".package-lock.json"
        lock = WEB / "package-lock.json"
        if not installed.is_file() or lock.stat().st_mtime > installed.stat().st_mtime:
            # npm ci ends with the "prepare" script, which is the build.
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True)
        else:
            subprocess.run([npm, "run", "--silent", "build"], cwd=WEB, check=True)
    if not (ASSETS / "graphiql.html").is_file():
        raise SystemExit(
            "the wheel needs the browser assets: install Node.js 20 or later (with npm) so the "
            "build can make them from web/, or build them first with `cd web && npm ci`"
        )


class BuildPyWithAssets(build_py):
    """build_py that builds the browser assets before it collects package data."""

    def run(self) -> None:
        if not self.editable_mode:
            build_web_assets()
        super().run()


setup(cmdclass={"build_py": BuildPyWithAssets})
