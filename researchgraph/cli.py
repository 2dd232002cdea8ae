"""The ``researchgraph`` command: serve, import, and run a local Neo4j server."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from graphstore.importer import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_ERRORS,
    ImportAbortedError,
    Progress,
    import_openalex,
)
from graphstore.protocol import StoreError
from researchgraph import neo4j_server
from researchgraph.settings import Settings, SettingsError
from researchgraph.stores import open_store


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        choices=["embedded", "neo4j"],
        help="graph store (default: neo4j when NEO4J_URI is set, else embedded)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="where the embedded database lives (default: ./.researchgraph)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(prog="researchgraph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve GraphQL at /graphql")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--debug", action="store_true", help="add dbQueries to every response")
    _store_options(serve)

    importer = commands.add_parser("import", help="import data into the graph")
    sources = importer.add_subparsers(dest="source", required=True)
    openalex = sources.add_parser("openalex", help="OpenAlex records (JSON Lines, .gz, snapshot)")
    openalex.add_argument("paths", nargs="+", type=Path)
    openalex.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    openalex.add_argument("--max-errors", type=int, default=DEFAULT_MAX_ERRORS)
    _store_options(openalex)

    neo4j = commands.add_parser("neo4j", help="run a local Neo4j 5.26 server (no Docker)")
    neo4j.add_argument("action", choices=["start", "stop", "status"])
    neo4j.add_argument("--port", type=int, default=7687)
    neo4j.add_argument("--data-dir", type=Path, default=Path(".researchgraph"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "neo4j":
            return _neo4j(args)
        settings = Settings.from_env().with_overrides(
            store=args.store, data_dir=args.data_dir, debug=getattr(args, "debug", None) or None
        )
        if args.command == "serve":
            return _serve(settings, args.host, args.port)
        return asyncio.run(_import(settings, args))
    except (SettingsError, StoreError, neo4j_server.Neo4jServerError, FileNotFoundError) as error:
        print(f"researchgraph: {error}", file=sys.stderr)
        return 2


def _serve(settings: Settings, host: str, port: int) -> int:
    import uvicorn

    from researchgraph.app import create_app

    # Open the store before uvicorn starts, so a locked database is one clear line, not a trace.
    asyncio.run(_check_store_opens(settings))
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0


async def _check_store_opens(settings: Settings) -> None:
    store = await open_store(settings)
    await store.close()


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    store = await open_store(settings)
    try:
        report = await import_openalex(
            store,
            args.paths,
            batch_size=args.batch_size,
            max_errors=args.max_errors,
            progress=Progress(total_bytes=None),
            report_problem=lambda line: print(f"skipped {line}", file=sys.stderr),
        )
    except ImportAbortedError as error:
        print(f"researchgraph: import stopped: {error}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    for line in report.summary_lines():
        print(line)
    return 0


def _neo4j(args: argparse.Namespace) -> int:
    if args.action == "start":
        print(neo4j_server.start(args.data_dir, args.port))
        return 0
    if args.action == "stop":
        stopped = neo4j_server.stop(args.data_dir)
        print("stopped" if stopped else "not running")
        return 0
    status = neo4j_server.status(args.data_dir)
    print(f"running at {status.uri} (pid {status.pid})" if status.running else "not running")
    return 0 if status.running else 3


if __name__ == "__main__":
    raise SystemExit(main())
