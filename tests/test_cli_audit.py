"""`sveden audit URL`: the webmaster's loop, run as a real process against the demo servers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from sveden.demo_sites import ServedDemo, serve_demo
from tests.conftest import DEMO, ROOT

AUDITED_KEYS = {
    "id",
    "name",
    "municipality",
    "kind",
    "url",
    "audited_at",
    "rules_as_of",
    "reachability",
    "reachability_detail",
    "score",
    "sections",
    "section_checks",
    "extras",
    "extras_score",
    "stale",
}
ITEM_KEYS = {"code", "title", "itemprop", "parent", "status", "outcome", "scored", "evidence", "hint", "fix"}


def _audit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sveden.cli", "audit", *args, "--as-of", "2026-11-23"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def test_compliant_site_json_and_exit_0(served_demo: ServedDemo) -> None:
    result = _audit(served_demo.base_urls["127.0.1.1"], "--json", "--allow-private")
    assert result.returncode == 0, result.stderr
    audited = json.loads(result.stdout)
    assert set(audited) == AUDITED_KEYS
    assert audited["score"] == 100.0
    assert audited["rules_as_of"] == "2026-11-23"
    assert len(audited["sections"]) == 14
    section = audited["sections"][0]
    assert {"key", "title", "url", "found_by", "score", "items", "legacy_markup"} == set(section)
    assert set(section["items"][0]) == ITEM_KEYS


def test_failing_site_exit_1_and_russian_report(served_demo: ServedDemo) -> None:
    result = _audit(served_demo.base_urls["127.0.1.3"], "--allow-private")
    assert result.returncode == 1
    assert "Балл: 97.1 из 100; нарушений: 4" in result.stdout
    assert "Дополнительные проверки (не входят в балл по приказу № 1493): 0.0 из 100" in result.stdout
    assert "(сложившаяся практика)" in result.stdout and "(закон)" in result.stdout
    assert "Режим и график работы" in result.stdout or "SV-COMMON-WORKTIME" in result.stdout
    assert 'itemprop="finPlanDocLink"' in result.stdout  # the fix, with an HTML example


def test_loopback_refused_without_allow_private(served_demo: ServedDemo) -> None:
    result = _audit(served_demo.base_urls["127.0.1.1"], "--json")
    assert result.returncode == 3
    assert json.loads(result.stdout)["reachability"] == "refused_private_address"


def test_unreachable_site_exit_3(served_demo: ServedDemo) -> None:
    result = _audit(served_demo.base_urls["127.0.1.8"], "--json", "--allow-private")
    assert result.returncode == 3
    assert json.loads(result.stdout)["reachability"] == "unreachable"


def test_usage_error_exit_2() -> None:
    assert _audit("ftp://example.org/").returncode == 2
    assert _audit("http://example.org/", "--as-of", "yesterday").returncode == 2


def _items_of(audited: dict[str, Any]) -> dict[str, dict[str, Any]]:
    items = [
        *audited["section_checks"],
        *(item for section in audited["sections"] for item in section["items"]),
    ]
    return {item["code"]: item for item in items}


def test_webmaster_pastes_the_fix_and_sees_the_difference(tmp_path: Path) -> None:
    """Audit, paste the suggested HTML in place of the flagged element, audit again."""
    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo)
    catering = demo / "sites" / "sosh-3" / "sveden" / "catering.html"
    with serve_demo(demo, port=0) as served:
        url = served.base_urls["127.0.1.3"]
        before = json.loads(_audit(url, "--json", "--allow-private").stdout)
        item = _items_of(before)["SV-CATERING-MEALS-OBJADDRESS"]
        assert item["status"] == "outside_parent"
        assert "456791, Демонстрационная область" in item["fix"]  # pre-filled with the school's own value
        html = catering.read_text(encoding="utf-8")
        (flagged,) = [line for line in html.splitlines() if 'itemprop="objAddress"' in line]
        catering.write_text(html.replace(flagged, item["fix"]), encoding="utf-8")
        after = json.loads(_audit(url, "--json", "--allow-private").stdout)
    assert _items_of(after)["SV-CATERING-MEALS-OBJADDRESS"]["status"] == "present"
    assert after["score"] > before["score"]
    failing = [code for code, item in _items_of(after).items() if item["outcome"] == "fail"]
    assert (
        len(failing)
        == len([code for code, item in _items_of(before).items() if item["outcome"] == "fail"]) - 1
    )
