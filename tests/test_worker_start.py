"""Crawl workers run the code the `sveden` command runs, wherever it is started from."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawl_helpers import school_site, write_registry
from tests.loopback_farm import Farm, serve_farm

SVEDEN = Path(sys.executable).parent / "sveden"


@pytest.fixture
def farm() -> Iterator[Farm]:
    with serve_farm() as served:
        yield served


@pytest.mark.skipif(not SVEDEN.is_file(), reason=f"no installed `sveden` command at {SVEDEN}")
def test_a_crawler_package_in_the_working_directory_does_not_replace_ours(farm: Farm, tmp_path: Path) -> None:
    # Another checkout, with its own `crawler` package, as the working directory: its worker
    # pool leaves a mark when imported.
    package = tmp_path / "elsewhere" / "crawler"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Another checkout\'s crawler."""\n')
    mark = package / "imported"
    (package / "worker_pool.py").write_text(f"open({str(mark)!r}, 'w').close()\n")
    hosts = [farm.add(f"127.66.0.{n + 1}", school_site()) for n in range(2)]
    registry, data = tmp_path / "schools.yaml", tmp_path / "data"
    write_registry(registry, [host.base_url for host in hosts])

    crawl = subprocess.run(
        [SVEDEN, "crawl", "--registry", registry, "--data", data, "--allow-private"],
        cwd=package.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert crawl.returncode == 0, crawl.stderr
    assert all(host.requests for host in hosts)
    assert not mark.exists()
