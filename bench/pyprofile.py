"""Summarise a pyinstrument JSON profile of the server: where its busy time goes, by layer."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

# First match wins; paths are pyinstrument's full file paths.
LAYERS = (
    ("selectors.py", "idle: waiting for sockets"),
    ("/strawberry/", "Strawberry"),
    ("/graphql/", "graphql-core (under Strawberry)"),
    ("/neo4j/", "Neo4j driver"),
    ("/aiodataloader", "aiodataloader"),
    ("/resolvers/", "our resolvers"),
    ("/schema/", "our schema types"),
    ("/graphstore/", "our store (graphstore)"),
    ("/researchgraph/", "our app (HTTP endpoint, limits, logging)"),
    ("/uvicorn/", "uvicorn + h11/httptools"),
    ("/h11/", "uvicorn + h11/httptools"),
    ("/httptools/", "uvicorn + h11/httptools"),
    ("/starlette/", "Starlette"),
    ("/asyncio/", "asyncio event loop"),
    ("/json/", "json"),
    ("/logging/", "logging"),
)
IDLE = "idle: waiting for sockets"


def _layer(path: str) -> str | None:
    for needle, layer in LAYERS:
        if needle in path:
            return layer
    return None


def summarise(path: Path, top: int = 15) -> dict[str, Any]:
    """Self time by layer (share of busy time) and the top frames by self time."""
    data = json.loads(path.read_text())
    root = data.get("root_frame") or data.get("root") or data
    by_layer: defaultdict[str, float] = defaultdict(float)
    by_frame: defaultdict[tuple[str, str, str], float] = defaultdict(float)

    def visit(frame: dict[str, Any], inherited: str) -> None:
        file_path = str(frame.get("file_path") or "")
        function = str(frame.get("function") or "")
        layer = _layer(file_path) or (inherited if function.startswith("[") else "other")
        children = frame.get("children") or []
        own = float(frame.get("time", 0.0)) - sum(float(c.get("time", 0.0)) for c in children)
        if own > 0:
            by_layer[layer] += own
            short = str(frame.get("file_path_short") or file_path)
            by_frame[(function, short, layer)] += own
        for child in children:
            visit(child, layer)

    visit(root, "other")
    total = sum(by_layer.values())
    busy = total - by_layer.get(IDLE, 0.0)
    layers = [
        {"layer": layer, "seconds": seconds, "share_of_busy": seconds / busy if busy else 0.0}
        for layer, seconds in sorted(by_layer.items(), key=lambda item: -item[1])
        if layer != IDLE
    ]
    frames = [
        {
            "function": function,
            "file": short,
            "layer": layer,
            "seconds": seconds,
            "share_of_busy": seconds / busy if busy else 0.0,
        }
        for (function, short, layer), seconds in sorted(by_frame.items(), key=lambda i: -i[1])
        if layer != IDLE
    ][:top]
    return {
        "total_seconds": total,
        "busy_seconds": busy,
        "idle_seconds": by_layer.get(IDLE, 0.0),
        "layers": layers,
        "frames": frames,
    }
