"""The subcommands of `sveden`, one module each; each module's `add_parser` registers it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sveden.commands import audit, build, check, crawl, demo, merge, run, serve, validate

__all__ = ["COMMANDS"]


COMMANDS: tuple[Callable[[Any], argparse.ArgumentParser], ...] = (
    validate.add_parser,
    audit.add_parser,
    crawl.add_parser,
    merge.add_parser,
    check.add_parser,
    build.add_parser,
    run.add_parser,
    demo.add_parser,
    serve.add_parser,
)
