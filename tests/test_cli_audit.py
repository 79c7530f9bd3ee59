"""`sveden audit URL`: the webmaster's loop, run as a real process against the demo servers."""

from __future__ import annotations

import json
import subprocess
import sys

from sveden.demo_sites import ServedDemo
from tests.conftest import ROOT

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
ITEM_KEYS = {"code", "title", "itemprop", "parent", "status", "outcome", "evidence", "hint"}


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
    assert {"key", "title", "url", "found_by", "score", "items"} == set(section)
    assert set(section["items"][0]) == ITEM_KEYS


def test_failing_site_exit_1_and_russian_report(served_demo: ServedDemo) -> None:
    result = _audit(served_demo.base_urls["127.0.1.3"], "--allow-private")
    assert result.returncode == 1
    assert "Балл: 96.8 из 100; нарушений: 4" in result.stdout
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
