"""MkDocs hook: adds the generated pages, open-data files and table templates to the build (thin glue).

Configured in mkdocs.yml (``hooks:``). Reads ``<data_dir>/site-data.json`` and the results
files written by `sveden build`/`sveden check`; the pages themselves are rendered by
`sveden.site_pages` from the templates beside this file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from sveden.results_io import RESULTS_FILES
from sveden.site_cos_pages import cos_downloads
from sveden.site_data import SITE_DATA_FILE, SiteData
from sveden.site_pages import nav_of, render_pages

TEMPLATES = Path(__file__).parent / "templates"
_loaded: dict[str, Any] = {}


def _data_dir(config: MkDocsConfig) -> Path:
    configured = Path(config.extra.get("sveden", {}).get("data_dir", "data"))
    return configured if configured.is_absolute() else Path(config.config_file_path).parent / configured


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load the site data and set the short navigation."""
    data_dir = _data_dir(config)
    source = data_dir / SITE_DATA_FILE
    if not source.is_file():
        raise PluginError(
            f"{source} not found: run `sveden check` (or `sveden run`) before building the site"
        )
    data = SiteData.model_validate_json(source.read_text(encoding="utf-8"))
    _loaded["data"] = data
    _loaded["data_dir"] = data_dir
    config.nav = nav_of(data)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add every generated page and the downloadable results files."""
    data: SiteData = _loaded["data"]
    data_dir: Path = _loaded["data_dir"]
    for src_uri, markdown in render_pages(data, TEMPLATES).items():
        files.append(File.generated(config, src_uri, content=markdown))
    for name in RESULTS_FILES:
        files.append(File.generated(config, name, content=(data_dir / name).read_bytes()))
    for name, content in cos_downloads(data).items():
        files.append(File.generated(config, name, content=content))
    return files
