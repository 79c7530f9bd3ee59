"""What a person sees: the built site opened in headless Chromium (Debian's `chromium`).

Skipped with a reason when no Chromium is installed; `.ci/run` installs it. Screenshots are
written to $SVEDEN_SCREENSHOTS (default: the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from checks.results import Results

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (apt-get install chromium)")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log in the test output."""


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()


def _chromium(profile: Path, *args: str) -> str:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,1600",
        "--virtual-time-budget=3000",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


def _screenshots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("SVEDEN_SCREENSHOTS", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_home_page_renders_with_the_municipality(site_url: str, tmp_path: Path) -> None:
    dom = _chromium(tmp_path / "profile", "--dump-dom", site_url)
    assert "md-header" in dom  # Material's layout rendered
    assert "Светлоозёрск" in dom
    shot = _screenshots(tmp_path) / "home.png"
    _chromium(tmp_path / "profile", f"--screenshot={shot}", site_url)
    assert shot.stat().st_size > 10_000


def test_school_page_shows_score_and_fixes(site_url: str, tmp_path: Path, demo_results: Results) -> None:
    school = next(s for s in demo_results.schools if s.id == "svetloozersk-sosh-3")
    url = f"{site_url}schools/{school.id}/"
    dom = _chromium(tmp_path / "profile", "--dump-dom", url)
    assert f"{school.score:.1f}".replace(".", ",") in dom
    assert "нарушение" in dom
    assert "finPlanDocLink" in dom
    shot = _screenshots(tmp_path) / "school.png"
    _chromium(tmp_path / "profile", f"--screenshot={shot}", url)
    assert shot.stat().st_size > 10_000


def test_municipality_page_shows_the_indicator_table(site_url: str, tmp_path: Path) -> None:
    url = f"{site_url}municipalities/svetloozersk/"
    dom = _chromium(tmp_path / "profile", "--dump-dom", url)
    assert 'class="sv-table sv-plan-fact"' in dom
    assert "92,5 %" in dom
    assert "отстаёт от плана" in dom
    assert "Разница: измерено − заявлено" in dom
    shot = _screenshots(tmp_path) / "municipality-cos.png"
    _chromium(tmp_path / "profile", f"--screenshot={shot}", url)
    assert shot.stat().st_size > 10_000
