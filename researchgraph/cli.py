"""The ``researchgraph`` command: serve, import, and run a local Neo4j server."""

from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from graphstore.account_records import RejectedWriteError
from graphstore.ingest.importer import (
    DEFAULT_BATCH_SIZES,
    DEFAULT_MAX_ERRORS,
    InputError,
    Progress,
    import_openalex,
    total_bytes,
)
from graphstore.protocol import StoreError
from researchgraph import neo4j_server
from researchgraph.bulk_load import BulkLoadError, bulk_load
from researchgraph.settings import Settings, SettingsError
from researchgraph.stores import open_store
from resolvers import accounts
from resolvers.errors import ClientError


def _bounds(text: str) -> tuple[int, int]:
    """``MIN-MAX`` (or one number) as a pair of bounds."""
    low, _, high = text.partition("-")
    bounds = (int(low), int(high or low))
    if not 0 < bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"expected MIN-MAX with 0 < MIN <= MAX, got {text}")
    return bounds


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
    openalex.add_argument(
        "paths", nargs="+", type=Path, help="JSON Lines (.gz), JSON array or snapshot folder"
    )
    openalex.add_argument(
        "--batch-size",
        type=int,
        help="records per transaction (default: "
        + ", ".join(f"{n} on {engine}" for engine, n in DEFAULT_BATCH_SIZES.items())
        + ")",
    )
    openalex.add_argument(
        "--max-errors",
        type=int,
        default=DEFAULT_MAX_ERRORS,
        help=f"stop with exit code 1 after this many bad records (default {DEFAULT_MAX_ERRORS})",
    )
    openalex.add_argument(
        "--bulk",
        action="store_true",
        help="first load of an empty local Neo4j (researchgraph neo4j start's --data-dir) "
        "with neo4j-admin: much faster than transactions; refuses a database holding anything",
    )
    openalex.add_argument(
        "--port", type=int, default=7687, help="with --bulk: the port to start Neo4j on"
    )
    openalex.add_argument(
        "--workers", type=int, help="with --bulk: processes reading the input (default: cores)"
    )
    _store_options(openalex)

    users = commands.add_parser("users", help="manage accounts")
    user_actions = users.add_subparsers(dest="action", required=True)
    create = user_actions.add_parser(
        "create",
        help="create an account; the password is prompted for, or read from standard input",
    )
    create.add_argument("--email", required=True)
    create.add_argument("--name", help="display name (default: the email's local part)")
    create.add_argument("--admin", action="store_true", help="may approve claims, verify ORCIDs")
    create.add_argument("--orcid", help="the user's ORCID iD")
    create.add_argument(
        "--orcid-verified", action="store_true", help="the ORCID iD is verified (for L3 claims)"
    )
    _store_options(create)

    generate = commands.add_parser(
        "generate", help="write synthetic OpenAlex-shaped Work records (for benchmarks)"
    )
    generate.add_argument("--works", type=int, required=True, help="how many works")
    generate.add_argument("--seed", type=int, default=1, help="same seed, same bytes")
    generate.add_argument("--out", type=Path, help="JSON Lines file (.gz: gzip); default stdout")
    generate.add_argument(
        "--tail-authors",
        type=int,
        help="authors with 5,000-20,000 works (--tail-author-works); default one per 250,000 works",
    )
    generate.add_argument(
        "--tail-author-works", type=_bounds, default=(5_000, 20_000), help="MIN-MAX works each"
    )
    generate.add_argument(
        "--hyper-works",
        type=int,
        help="works with 1,000-5,000 authors (--hyper-work-authors); default one per 100,000",
    )
    generate.add_argument(
        "--hyper-work-authors", type=_bounds, default=(1_000, 5_000), help="MIN-MAX authors each"
    )

    neo4j = commands.add_parser("neo4j", help="run a local Neo4j 5.26 server (no Docker)")
    neo4j.add_argument("action", choices=["start", "stop", "status"])
    neo4j.add_argument("--port", type=int, default=7687)
    neo4j.add_argument("--data-dir", type=Path, default=Path(".researchgraph"))
    neo4j.add_argument(
        "--heap", default="1g", help="JVM heap on start (default 1g; imports like 4g)"
    )
    neo4j.add_argument("--pagecache", default="512m", help="page cache on start (default 512m)")

    export = commands.add_parser("export-schema", help="write the GraphQL schema (SDL)")
    export.add_argument("--out", type=Path, default=Path("schema.graphql"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "neo4j":
            return _neo4j(args)
        if args.command == "generate":
            from researchgraph.generate import Tails, write_works

            tails = Tails(
                args.tail_authors, args.tail_author_works, args.hyper_works, args.hyper_work_authors
            )
            write_works(args.works, args.seed, args.out, tails)
            return 0
        if args.command == "export-schema":
            return _export_schema(args.out)
        if getattr(args, "bulk", False):
            # A local server of its own (--data-dir), not NEO4J_URI's.
            return _run_bulk_load(args)
        settings = Settings.from_env().with_overrides(
            store=args.store, data_dir=args.data_dir, debug=getattr(args, "debug", None) or None
        )
        if args.command == "serve":
            return _serve(settings, args.host, args.port)
        if args.command == "users":
            return asyncio.run(_create_user(settings, args))
        return _run_import(settings, args)
    except (
        SettingsError,
        StoreError,
        neo4j_server.Neo4jServerError,
        FileNotFoundError,
        InputError,
        BulkLoadError,
    ) as error:
        print(f"researchgraph: {error}", file=sys.stderr)
        return 2


def _serve(settings: Settings, host: str, port: int) -> int:
    import uvicorn

    from researchgraph.app import create_app
    from researchgraph.observability import configure_json_logging

    # Open the store and find the token key before uvicorn starts, so a locked database or a
    # Neo4j deployment without RESEARCHGRAPH_JWT_SECRET is one clear line, not a trace.
    settings.token_secret()
    asyncio.run(_check_store_opens(settings))
    if settings.json_logs:
        configure_json_logging()
    app = create_app(settings)
    tune_gc_for_serving()
    # On Ctrl-C or SIGTERM uvicorn stops accepting, lets in-flight requests finish (up to the
    # grace period), then runs the app's shutdown, which closes the store or driver.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None if settings.json_logs else uvicorn.config.LOGGING_CONFIG,
        timeout_graceful_shutdown=int(settings.request_timeout_seconds) + 1,
    )
    return 0


# Young collections wait for this many new container objects (CPython's default is 700).
GC_YOUNG_THRESHOLD = 20_000


def tune_gc_for_serving() -> None:
    """Keep the garbage collector off the request path of a server process.

    A hub's profile request allocates tens of thousands of objects; with CPython's defaults
    the collector ran twice a request and a full collection every ~60 requests, each walking
    every object the modules and the schema hold. What exists at startup is frozen out of
    its reach, and young collections wait for more allocations, so most of a request's
    garbage is freed by reference counting first. With the request's reads released at its
    end (RequestContext.release), the collector's share of the server's CPU under the hub's
    profile at c=16 went from 21% to 5-7% (bench/README.md).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)


async def _check_store_opens(settings: Settings) -> None:
    store = await open_store(settings)
    await store.close()


def _run_import(settings: Settings, args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_import(settings, args))
    except KeyboardInterrupt:
        # Every batch is one transaction: what landed is whole, and the same command
        # again finishes the import with the graph a clean run gives.
        print(
            "researchgraph: import interrupted; run the same command again to finish it",
            file=sys.stderr,
        )
        return 130


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    if (args.batch_size is not None and args.batch_size < 1) or args.max_errors < 0:
        print("researchgraph: --batch-size must be >= 1 and --max-errors >= 0", file=sys.stderr)
        return 2
    # Before the store opens: a path that cannot be read stops the run with nothing written.
    size = total_bytes(args.paths)
    # The import's reads name labels and types an empty Neo4j does not know yet; the
    # driver's warnings about that would bury the progress lines.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    store = await open_store(settings)
    try:
        report = await import_openalex(
            store,
            args.paths,
            batch_size=args.batch_size,
            max_errors=args.max_errors,
            progress=Progress(total_bytes=size),
            report_problem=lambda line: print(f"skipped {line}", file=sys.stderr),
        )
    finally:
        await store.close()
    for line in report.summary_lines():
        print(line)
    if report.aborted:
        print(
            f"researchgraph: import stopped: more than {args.max_errors} bad records",
            file=sys.stderr,
        )
        return 1
    return 0


def _run_bulk_load(args: argparse.Namespace) -> int:
    if args.store not in (None, "neo4j") or args.max_errors < 0:
        print(
            "researchgraph: --bulk loads Neo4j (--store neo4j), --max-errors >= 0", file=sys.stderr
        )
        return 2
    size = total_bytes(args.paths)
    result = asyncio.run(
        bulk_load(
            args.paths,
            args.data_dir or Path(".researchgraph"),
            port=args.port,
            workers=args.workers,
            max_errors=args.max_errors,
            progress=Progress(total_bytes=size),
            output=lambda line: print(line, file=sys.stderr, flush=True),
            report_problem=lambda line: print(f"skipped {line}", file=sys.stderr),
        )
    )
    for line in result.summary_lines():
        print(line)
    if result.report.aborted:
        print(
            f"researchgraph: bulk load stopped: more than {args.max_errors} bad records; "
            "nothing was loaded",
            file=sys.stderr,
        )
        return 1
    return 0


async def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    try:
        new = await accounts.new_user(
            args.email,
            _read_password(),
            args.name or args.email.split("@")[0],
            admin=args.admin,
            orcid=args.orcid,
            orcid_verified=args.orcid_verified,
        )
    except ClientError as error:
        print(f"researchgraph: {error.message}", file=sys.stderr)
        return 2
    store = await open_store(settings)
    try:
        user = await store.create_user(new, accounts.now())
    except RejectedWriteError:
        print(f"researchgraph: {new.email} already has an account", file=sys.stderr)
        return 2
    finally:
        await store.close()
    print(user.id)
    return 0


def _read_password() -> str:
    """The new account's password: prompted for twice on a terminal, else stdin's first line."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("password: ")
    if getpass.getpass("password again: ") != password:
        raise SettingsError("the two passwords differ")
    return password


def _export_schema(out: Path) -> int:
    from schema import schema_sdl

    out.write_text(schema_sdl(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


def _neo4j(args: argparse.Namespace) -> int:
    if args.action == "start":
        print(
            neo4j_server.start(args.data_dir, args.port, heap=args.heap, pagecache=args.pagecache)
        )
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
