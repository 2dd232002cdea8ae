"""The committed schema.graphql is the running schema, and keeps the contract's names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from schema import schema_sdl
from tests.conftest import ROOT

CONTRACT = ROOT / "docs" / "api-contract.graphql"


def test_schema_file_matches_the_code() -> None:
    assert (ROOT / "schema.graphql").read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql is stale: run `researchgraph export-schema`"
    )


def test_export_schema_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "schema.graphql"
    subprocess.run(
        [sys.executable, "-m", "researchgraph.cli", "export-schema", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8") == schema_sdl()


def test_every_contract_name_is_in_the_schema() -> None:
    sdl = schema_sdl()
    for line in CONTRACT.read_text().splitlines():
        if "# CONTRACT" not in line:
            continue
        declaration = line.split("#")[0].strip()
        type_match = re.match(r"(?:type|interface|enum)\s+(\w+)", declaration)
        if type_match:
            assert re.search(rf"\b(type|interface|enum) {type_match.group(1)}\b", sdl), line
            continue
        field_match = re.match(r"(\w+)\s*[(:]", declaration)
        assert field_match, line
        assert re.search(rf"\b{field_match.group(1)}\s*[(:]", sdl), line
