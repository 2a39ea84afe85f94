"""``detente serve``: the API and dashboard over an event store, on loopback by default."""

from __future__ import annotations

import argparse
import ipaddress
from pathlib import Path
from typing import TextIO

from detente.cli import EXIT_OK, command_parser
from detente.errors import ConfigError, InputError

EXAMPLE = "detente serve --db out/demo.duckdb --read-only   # then open http://127.0.0.1:8000/"


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = command_parser(
        sub,
        name,
        "Serve the JSON API (/api, /docs) and the dashboard (/) over an event store.",
        EXAMPLE,
    )
    p.add_argument("--db", required=True, help="DuckDB event store (must exist)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument(
        "--read-only",
        action="store_true",
        help="open the store read-only: POST /api/code can code but never store",
    )
    p.add_argument(
        "--query-timeout", type=float, default=10.0, help="seconds before a query is stopped"
    )
    p.add_argument(
        "--max-text", type=int, default=20_000, help="longest text POST /api/code accepts"
    )
    return p


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import uvicorn

    from detente.server import ServerLimits, create_app

    if not Path(args.db).exists():
        raise InputError(
            "no such file (build one with `detente ingest` or `detente demo`)", args.db
        )
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be 1-65535, got {args.port}")
    limits = ServerLimits(
        query_timeout_s=args.query_timeout,
        max_text_chars=args.max_text,
        max_body_bytes=max(256 * 1024, args.max_text * 4 + 4096),
    )
    from ..analysis.changepoints import detect_shifts

    app = create_app(args.db, read_only=args.read_only, limits=limits, shift_detector=detect_shifts)
    if not _is_loopback(args.host):
        err.write(
            f"detente: warning: listening on {args.host}, not loopback; the API has no "
            "authentication\n"
        )
    mode = "read-only" if args.read_only else "read-write"
    err.write(f"detente: serving {args.db} ({mode}) on http://{args.host}:{args.port}/\n")
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=5,
        limit_concurrency=64,
        h11_max_incomplete_event_size=16 * 1024,
        server_header=False,
    )
    return EXIT_OK
