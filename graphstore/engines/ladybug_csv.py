"""The CSV files LadybugDB's ``COPY`` and ``LOAD FROM`` read (EmbeddedStore's batch writes)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# A CSV list cell is its items between brackets, split at commas, unquoted: a string item
# with a separator, a bracket, a quote or surrounding space would not read back as written.
_PLAIN_ITEM = re.compile(r"[^\s,\[\]{}'\"\\]+")


def list_cell(items: Sequence[str | int | float]) -> str | None:
    """``items`` as one CSV list cell, or None when a string item is not plain: such a list
    has to be written from a parameter instead."""
    if any(isinstance(item, str) and not _PLAIN_ITEM.fullmatch(item) for item in items):
        return None
    return f"[{','.join(repr(i) if isinstance(i, float) else str(i) for i in items)}]"


def write_csv(path: Path, rows: Iterable[Sequence[Any]]) -> None:
    """Write ``rows`` as LadybugDB reads them: '\\n' line ends, an empty field as null;
    csv quotes the rest."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
