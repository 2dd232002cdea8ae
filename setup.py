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
    node = shutil.which("node")
    if (WEB / "assets.mjs").is_file() and node and shutil.which("npm"):
        # web/assets.mjs: npm ci when the lock file changed, else the build alone.
        subprocess.run([node, "assets.mjs"], cwd=WEB, check=True)
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
