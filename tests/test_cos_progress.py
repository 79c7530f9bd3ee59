"""Progress against plan (after Open SDG), roadmap activity status on a given day, measured history."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from checks.results import Results
from checks.rulebook import Rulebook
from sveden.indicators.activities import activity_status
from sveden.indicators.catalogue import load_catalogue
from sveden.indicators.measured import mandatory_subsections, nightly, year_ends
from sveden.indicators.models import Activity, IndicatorValue
from sveden.indicators.progress import progress_of
from sveden.registry import load_registry
from sveden.snapshot_store import SnapshotStore
from tests.conftest import ROOT

CATALOGUE = load_catalogue()


def _values(*rows: tuple[int, float | None, float | None]) -> list[IndicatorValue]:
    return [IndicatorValue(year=year, plan=plan, fact=fact) for year, plan, fact in rows]


@pytest.mark.parametrize(
    ("rows", "status", "expected"),
    [
        ([(2019, 20, None), (2020, 40, None)], "no_data", None),
        ([(2019, 20, 65.5), (2022, 100, None)], "on_track", 20),
        ([(2019, 20, 100), (2022, 100, None)], "achieved", 100),
        ([(2020, 40, 38.5), (2022, 100, None)], "on_track", 40),  # 38,5 / 40 = 0,9625 ≥ 0,95
        ([(2020, 40, 37.9), (2022, 100, None)], "behind", 40),
        # No plan for 2021: expected on the straight line between 2020 (40) and 2022 (100) is 70.
        ([(2020, 40, None), (2021, None, 60), (2022, 100, None)], "behind", 70),
        ([(2020, 40, None), (2021, None, 67), (2022, 100, None)], "on_track", 70),
        ([(2019, 0, 0), (2024, 17, None)], "on_track", 0),
    ],
)
def test_progress_status(
    rows: list[tuple[int, float | None, float | None]], status: str, expected: float | None
) -> None:
    indicator = CATALOGUE.get("sites_updated_share")
    assert indicator is not None
    progress = progress_of(indicator, _values(*rows))
    assert progress.status == status
    assert progress.expected == expected


def test_kovrov_2019_facts_are_on_track_and_dated() -> None:
    registry = load_registry(ROOT / "schools.yaml")
    kovrov = next(m for r in registry.regions for m in r.municipalities if m.id == "kovrov")
    statuses = {}
    for series in kovrov.reported():
        indicator = CATALOGUE.get(series.indicator)
        assert indicator is not None
        progress = progress_of(indicator, series.values)
        statuses[series.indicator] = (progress.status, progress.fact_year)
    assert statuses["sites_updated_share"] == ("on_track", 2019)
    assert statuses["internet_speed_share"] == ("on_track", 2019)
    assert statuses["equipment_funding"] == ("no_data", None)


def _activity(**dates: str) -> Activity:
    return Activity(title="Мероприятие", source="plan", deadline="срок", **dates)


@pytest.mark.parametrize(
    ("dates", "today", "status"),
    [
        ({"starts": "2020-01-01", "due": "2020-01-31"}, "2020-01-15", "in_progress"),
        ({"starts": "2020-01-01", "due": "2020-01-31"}, "2020-01-31", "in_progress"),
        ({"starts": "2020-01-01", "due": "2020-01-31"}, "2020-02-01", "overdue"),
        ({"starts": "2020-01-01", "due": "2020-01-31"}, "2019-12-31", "planned"),
        ({"due": "2019-12-31"}, "2019-06-01", "in_progress"),
        ({"due": "2019-12-31", "done": "2019-11-01", "done_evidence": "отчёт"}, "2026-11-23", "done"),
    ],
)
def test_activity_status_on_a_given_day(dates: dict[str, str], today: str, status: str) -> None:
    assert activity_status(_activity(**dates), dt.date.fromisoformat(today)) == status


def test_activity_without_a_date_has_no_deadline() -> None:
    undated = Activity(title="Мероприятие", source="plan")
    assert activity_status(undated, dt.date(2026, 1, 1)) == "no_deadline"


def test_real_roadmaps_are_overdue_or_done_in_2026() -> None:
    registry = load_registry(ROOT / "schools.yaml")
    vichuga = next(m for r in registry.regions for m in r.municipalities if m.id == "vichuga")
    assert [a.number for a in vichuga.roadmap()] == [str(n) for n in range(1, 11)]
    morshansk = next(m for r in registry.regions for m in r.municipalities if m.id == "morshansk")
    assert [a.number for a in morshansk.roadmap()] == [f"1.{n}" for n in range(1, 26)]
    saratov = next(r for r in registry.regions if r.id == "saratovskaya-oblast")
    statuses = [activity_status(a, dt.date(2026, 11, 23)) for a in saratov.roadmap()]
    assert statuses.count("done") == 1
    assert statuses.count("overdue") == 8
    assert statuses.count("no_deadline") == 10
    assert saratov.municipalities == ()
    assert activity_status(saratov.roadmap()[1], dt.date(2019, 10, 1)) == "in_progress"


def test_history_per_night_and_year_end_from_the_store(
    tmp_path: Path, demo_results: Results, rulebook: Rulebook
) -> None:
    """Three nights kept in a real store; the year-end value is the last night of each year."""
    schools = {school.id: school for school in demo_results.schools}
    good, failing = schools["svetloozersk-sosh-1"], schools["svetloozersk-sosh-3"]
    nights = [
        ("2025-12-30", [good, failing]),
        ("2025-12-31", [good, failing.model_copy(update={"score": None, "reachability": "unreachable"})]),
        ("2026-01-10", [good.model_copy(update={"score": 95.0, "sections": failing.sections}), good]),
    ]
    store_path = tmp_path / "s.sqlite3"
    with SnapshotStore(store_path) as store:
        for date, audits in nights:
            run_id = store.start_run()
            for index, audit in enumerate(audits):
                store.put_audit(run_id, audit.model_copy(update={"id": f"school-{index}"}))
            store.finish_run(run_id, "complete")
            with sqlite3.connect(store_path) as db:  # the run happened that night
                db.execute("UPDATE runs SET started_at = ? WHERE id = ?", (f"{date}T01:00:00+00:00", run_id))
        history = list(store.audit_history())
    assert [(date, len(audits)) for date, audits in history] == [(date, 2) for date, _ in nights]
    measured = nightly(history, frozenset({"school-0", "school-1"}), mandatory_subsections(rulebook))
    assert [(n.measurement.audited, n.measurement.meeting) for n in measured] == [(2, 1), (1, 1), (2, 2 - 1)]
    ends = year_ends(measured)
    assert sorted(ends) == [2025, 2026]
    assert ends[2025].measurement.audited == 1  # the night of 31 December, not the 30th
    assert ends[2026].measurement.good_score_share == 100.0


def test_a_date_with_several_runs_counts_once_by_its_last_run(
    demo_results: Results, rulebook: Rulebook
) -> None:
    schools = {school.id: school for school in demo_results.schools}
    good, failing = schools["svetloozersk-sosh-1"], schools["svetloozersk-sosh-3"]
    history = [("2026-11-23", [failing]), ("2026-11-23", [good]), ("2026-11-24", [failing])]
    measured = nightly(history, frozenset({good.id, failing.id}), mandatory_subsections(rulebook))
    assert [(n.date, n.measurement.meeting) for n in measured] == [("2026-11-23", 1), ("2026-11-24", 0)]
