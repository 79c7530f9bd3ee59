"""Build the public site with MkDocs into a temporary folder, then swap it into place.

A failed build leaves the previously published `public/` untouched.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from checks.results import AuditedSchool, Results
from checks.rulebook import Rulebook
from sveden.registry import Registry
from sveden.results_io import write_results
from sveden.site_data import SITE_DATA_FILE, site_data_of

__all__ = ["SiteBuildError", "build_site", "publish_results"]

log = logging.getLogger(__name__)


class SiteBuildError(RuntimeError):
    """The site could not be built; the published site was left as it was."""


def publish_results(
    registry: Registry,
    results: Results,
    rulebook: Rulebook,
    data_dir: Path,
    history: Sequence[tuple[str, Sequence[AuditedSchool]]] = (),
) -> None:
    """Write results.json, the CSV files and the site data (with the nightly history) into `data_dir`."""
    write_results(results, data_dir)
    data = site_data_of(registry, results, rulebook, history)
    (data_dir / SITE_DATA_FILE).write_text(data.model_dump_json(), encoding="utf-8")


def build_site(config_file: Path, data_dir: Path, out_dir: Path) -> None:
    """Run `mkdocs build` for `config_file` on `data_dir` and replace `out_dir` with the result."""
    if not (data_dir / SITE_DATA_FILE).is_file():
        raise SiteBuildError(f"{data_dir / SITE_DATA_FILE} not found: run `sveden check` first")
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        config = load_config(str(config_file), site_dir=str(staging))
        config.extra.setdefault("sveden", {})["data_dir"] = str(data_dir.resolve())
        try:
            build(config)
        except Exception as exc:  # MkDocs raises its own Abort/BuildError types
            raise SiteBuildError(f"mkdocs build failed ({exc}); {out_dir} left unchanged") from exc
        previous = out_dir.with_name(f".{out_dir.name}-previous")
        shutil.rmtree(previous, ignore_errors=True)
        if out_dir.exists():
            out_dir.rename(previous)
        staging.rename(out_dir)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("site built into %s", out_dir)
