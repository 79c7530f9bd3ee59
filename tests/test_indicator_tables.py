"""Department tables (CSV, XLSX) in the published layout: read exactly, or every problem located."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sveden.indicators.catalogue import load_catalogue
from sveden.indicators.csv_table import read_csv_table
from sveden.indicators.models import IndicatorSeries
from sveden.indicators.template import TEMPLATE_YEARS, template_csv, template_xlsx
from sveden.indicators.xlsx_table import read_xlsx_table
from sveden.registry import RegistryError, load_registry
from tests.conftest import ROOT

CATALOGUE = load_catalogue()


def _values(series: list[IndicatorSeries]) -> dict[tuple[str, int], tuple[float | None, float | None]]:
    return {
        (item.indicator, value.year): (value.plan, value.fact) for item in series for value in item.values
    }


GOOD_CSV = (
    "indicator;title;2019 план;2019 факт;2020 план;2020 факт\n"
    "sites_updated_share;Сайты;20;65,5%;40;\n"
    "internet_speed_share;Интернет;19;29,4;32;—\n"
    "\n"
    "equipment_funding;Средства;;;20 538,1;\n"
    "staff_trained_digital;Обучено;10;17;20;-\n"
)


def test_csv_in_the_department_layout_is_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "kovrov.csv"
    path.write_text(GOOD_CSV, encoding="utf-8-sig")
    series, problems = read_csv_table(path, CATALOGUE, "kovrov-cos-project")
    assert problems == []
    assert _values(series) == {
        ("sites_updated_share", 2019): (20.0, 65.5),
        ("sites_updated_share", 2020): (40.0, None),
        ("internet_speed_share", 2019): (19.0, 29.4),
        ("internet_speed_share", 2020): (32.0, None),
        ("equipment_funding", 2020): (20538.1, None),
        ("staff_trained_digital", 2019): (10.0, 17.0),
        ("staff_trained_digital", 2020): (20.0, None),
    }
    assert {item.source for item in series} == {"kovrov-cos-project"}
    assert series[2].where == "kovrov.csv, строка 5"


def _workbook(rows: list[list[object]], percent_cells: tuple[str, ...] = ()) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Показатели"
    for row in rows:
        sheet.append(row)
    for ref in percent_cells:
        sheet[ref].number_format = "0.0%"
    return workbook


def test_xlsx_in_the_department_layout_is_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "kovrov.xlsx"
    _workbook(
        [
            ["indicator", "title", "2019 план", "2019 факт", "2020 план"],
            ["sites_updated_share", "Сайты", 20, 0.655, "40%"],
            ["target_model_schools", "Школы", 0, 0, 9],
            ["equipment_funding", None, None, None, "20538,1"],
        ],
        percent_cells=("D2",),
    ).save(path)
    series, problems = read_xlsx_table(path, CATALOGUE, None)
    assert problems == []
    assert _values(series) == {
        ("sites_updated_share", 2019): (20.0, 65.5),
        ("sites_updated_share", 2020): (40.0, None),
        ("target_model_schools", 2019): (0.0, 0.0),
        ("target_model_schools", 2020): (9.0, None),
        ("equipment_funding", 2020): (20538.1, None),
    }
    assert series[0].where == "kovrov.xlsx, лист «Показатели», строка 2"


BROKEN_CSV = (
    "indicator,2019 план,2019 факт,2035 план\n"
    "sites_updated_share,20,шестьдесят,\n"
    "sites_updated_shar,20,65,\n"
    "staff_trained_digital,10,17%,\n"
    "sites_updated_share,30,,\n"
    "internet_speed_share,120,1.234,,5\n"
)


def test_broken_csv_names_row_and_column_of_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    series, problems = read_csv_table(path, CATALOGUE, None)
    assert [str(problem) for problem in problems] == [
        f"{path}: row 1, column D: year 2035 is out of range 2015–2030",
        f"{path}: row 2, column C: «шестьдесят» is not a number",
        f"{path}: row 3, column A: unknown indicator «sites_updated_shar»: it is not in the catalogue",
        f"{path}: row 4, column C: «17%»: a percent sign in an indicator measured in count",
        f"{path}: row 5, column A: indicator «sites_updated_share» is already on row 2",
        f"{path}: row 6, column B: 120 is over 100 percent",
        f"{path}: row 6, column E: a value under no header",
    ]
    # What is right is still read: row 2's plan, row 4's plan, row 6's fact «1.234».
    assert _values(series)[("sites_updated_share", 2019)] == (20.0, None)
    assert _values(series)[("internet_speed_share", 2019)] == (None, 1.234)


def test_broken_xlsx_names_sheet_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "kovrov.xlsx"
    _workbook(
        [
            ["indicator", "title", "2019 план", "2019 факт", "1999 факт"],
            ["sites_updated_share", "Сайты", 20, 65.5, None],
            ["no_such_indicator", "?", 1, 2, None],
            ["internet_speed_share", "Интернет", 19, "12,5 руб", None],
            ["staff_trained_digital", "Обучено", 10, 0.17, None],
        ],
        percent_cells=("D5",),
    ).save(path)
    _, problems = read_xlsx_table(path, CATALOGUE, None)
    assert [str(problem) for problem in problems] == [
        f'{path}: sheet "Показатели", row 1, column E: year 1999 is out of range 2015–2030',
        f'{path}: sheet "Показатели", row 3, column A: unknown indicator «no_such_indicator»: '
        "it is not in the catalogue",
        f'{path}: sheet "Показатели", row 4, column D: «12,5 руб» is not a number',
        f'{path}: sheet "Показатели", row 5, column D: '
        "«17%»: a percent cell in an indicator measured in count",
    ]


def test_measured_indicator_cannot_be_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("indicator,2025 факт\nsites_meeting_requirements_share,50\n", encoding="utf-8")
    _, problems = read_csv_table(path, CATALOGUE, None)
    assert [problem.message for problem in problems] == [
        "unknown indicator «sites_meeting_requirements_share»: it is measured by the audit, not reported"
    ]


def test_published_templates_are_read_back_by_the_readers(tmp_path: Path) -> None:
    csv_path = tmp_path / "template.csv"
    csv_path.write_bytes(template_csv(CATALOGUE))
    series, problems = read_csv_table(csv_path, CATALOGUE, None)
    assert problems == []
    assert [item.indicator for item in series] == [item.id for item in CATALOGUE.reported()]
    assert all(item.values == () for item in series)

    workbook = load_workbook(io.BytesIO(template_xlsx(CATALOGUE)))
    sheet = workbook["Показатели"]
    assert [cell.value for cell in sheet[1]][:4] == [
        "indicator",
        "title",
        f"{TEMPLATE_YEARS[0]} план",
        f"{TEMPLATE_YEARS[0]} факт",
    ]
    sheet["C2"] = 20
    sheet["D2"] = "65,5"
    xlsx_path = tmp_path / "filled.xlsx"
    workbook.save(xlsx_path)
    filled, problems = read_xlsx_table(xlsx_path, CATALOGUE, None)
    assert problems == []
    assert _values(filled) == {(CATALOGUE.reported()[0].id, TEMPLATE_YEARS[0]): (20.0, 65.5)}


def _registry_with_tables(folder: Path, *files: str) -> Path:
    entries = "\n".join(f"          - {{file: {name}, source: plan}}" for name in files)
    registry = folder / "schools.yaml"
    registry.write_text(
        "schema_version: 1\n"
        "sources:\n"
        "  - {id: plan, title: План}\n"
        "regions:\n"
        "  - id: r\n"
        "    name: Регион\n"
        "    municipalities:\n"
        "      - id: m\n"
        "        name: Город\n"
        "        indicators:\n"
        f"{entries}\n"
        "          - indicator: no_such_indicator\n"
        "            source: plan\n"
        "            values: [{year: 2019, plan: 1}]\n"
        "          - indicator: sites_updated_share\n"
        "            source: plan\n"
        "            values: [{year: 2040, plan: 1}, {year: 2020, fact: '65,5'}]\n",
        encoding="utf-8",
    )
    return registry


def test_validate_reports_every_table_problem_at_once(tmp_path: Path) -> None:
    (tmp_path / "broken.csv").write_text(BROKEN_CSV, encoding="utf-8")
    _workbook([["indicator", "2019 план"], ["sites_updated_share", "двадцать"]]).save(
        tmp_path / "broken.xlsx"
    )
    registry = _registry_with_tables(tmp_path, "broken.csv", "broken.xlsx", "missing.csv")
    result = subprocess.run(
        [sys.executable, "-m", "sveden.cli", "validate", "--registry", str(registry)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    expected = [
        f"{registry}:14: regions[0].municipalities[0].indicators[3].indicator: "
        "unknown indicator 'no_such_indicator': it is not in the catalogue",
        f"{registry}:19: regions[0].municipalities[0].indicators[4].values[0].year: "
        "2040 is out of range: must be at most 2030",
        f"{registry}:19: regions[0].municipalities[0].indicators[4].values[1].fact: "
        "must be a number (a decimal point, not a comma), got '65,5'",
    ]
    assert expected == [line for line in lines if line.startswith(str(registry))]
    assert f"{tmp_path / 'broken.csv'}: row 2, column C: «шестьдесят» is not a number" in lines
    assert (
        f'{tmp_path / "broken.xlsx"}: sheet "Показатели", row 2, column B: «двадцать» is not a number'
        in lines
    )
    assert f"{tmp_path / 'missing.csv'}: file not found" in lines
    assert len([line for line in lines if "broken.csv" in line]) == 7


def test_valid_tables_load_into_the_registry(tmp_path: Path) -> None:
    (tmp_path / "kovrov.csv").write_text(GOOD_CSV, encoding="utf-8")
    registry_path = _registry_with_tables(tmp_path, "kovrov.csv")
    text = registry_path.read_text(encoding="utf-8")
    registry_path.write_text(text[: text.index("          - indicator: no_such_indicator")], encoding="utf-8")
    registry = load_registry(registry_path)
    (municipality,) = registry.regions[0].municipalities
    assert _values(list(municipality.reported()))[("sites_updated_share", 2019)] == (20.0, 65.5)


def test_inline_figure_of_an_uncatalogued_indicator_is_an_error(tmp_path: Path) -> None:
    registry = _registry_with_tables(tmp_path)
    with pytest.raises(RegistryError) as caught:
        load_registry(registry)
    assert any(
        "indicators[0].indicator: unknown indicator 'no_such_indicator'" in str(problem)
        for problem in caught.value.problems
    )


def test_a_year_given_both_inline_and_in_a_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "kovrov.csv").write_text(GOOD_CSV, encoding="utf-8")
    registry_path = _registry_with_tables(tmp_path, "kovrov.csv")
    text = registry_path.read_text(encoding="utf-8")
    registry_path.write_text(
        text[: text.index("          - indicator: no_such_indicator")]
        + "          - indicator: sites_updated_share\n"
        "            source: plan\n"
        "            where: письмо управления\n"
        "            values: [{year: 2019, fact: 66}]\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        load_registry(registry_path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{registry_path}: m: sites_updated_share for 2019 is given twice "
        "(«kovrov.csv, строка 2» and «письмо управления»)"
    ]
