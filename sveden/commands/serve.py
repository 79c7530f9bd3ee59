"""`sveden serve`: serve the built site on 127.0.0.1 (Material's search needs HTTP, not file://)."""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve the built site on http://127.0.0.1:8000/",
        description="Serve the folder built by `sveden build` until interrupted (Ctrl+C).",
    )
    parser.add_argument("--dir", default="public", help="the built site (default: public)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=args.dir)
    with ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(
            f"serving {args.dir}/ on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)",
            file=sys.stderr,
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
