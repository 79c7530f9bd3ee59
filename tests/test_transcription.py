"""Every reported figure in the registry, transcribed from the municipal documents, with its line.

The table below is the only list of transcribed figures. It is checked against the registry
always (both ways: every row is in the registry, every registry figure is a row) and against the
documents themselves when `../shared/seeds` is present: the line holds the text, the text states
the value, and for table cells the column's header is the year.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

import pytest

from sveden.registry import load_registry
from tests.conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
KOVROV = "000_a0ee9142e94668d1.txt"
VICHUGA = "001_bf83131c0e61d361.txt"
MORSHANSK = "002_eb88e3b8cea7a71b.txt"
BUZULUK = "003_9c52f71a678763b8.txt"


class Figure(NamedTuple):
    """One transcribed figure.

    `column` is the tab-separated cell of a table row (its header on `header_line`); None for prose.
    """

    indicator: str
    municipality: str
    year: int
    which: Literal["plan", "fact"]
    value: float
    seed: str
    line: int
    shown: str
    column: int | None = None
    header_line: int | None = None


def _table(
    indicator: str,
    municipality: str,
    seed: str,
    line: int,
    header: int,
    first_column: int,
    years: range,
    cells: list[str],
) -> list[Figure]:
    """Figures of one table row: `cells` as printed, «a/b» meaning plan/fact."""
    figures = []
    for offset, (year, cell) in enumerate(zip(years, cells, strict=True)):
        column = first_column + offset
        parts = cell.split("/")
        figures.append(
            Figure(indicator, municipality, year, "plan", _number(parts[0]), seed, line, cell, column, header)
        )
        if len(parts) == 2:
            figures.append(
                Figure(
                    indicator, municipality, year, "fact", _number(parts[1]), seed, line, cell, column, header
                )
            )
    return figures


def _number(text: str) -> float:
    return float(text.replace(",", "."))


FIGURES: list[Figure] = [
    # Ковров: four tables «2019 план/факт, 2020 … 2024».
    *_table(
        "target_model_schools",
        "kovrov",
        KOVROV,
        16,
        15,
        1,
        range(2019, 2025),
        ["0/0", "9", "13", "13", "13", "17"],
    ),
    *_table(
        "sites_updated_share",
        "kovrov",
        KOVROV,
        41,
        40,
        1,
        range(2019, 2025),
        ["20/65,5", "40", "70", "100", "100", "100"],
    ),
    *_table(
        "internet_speed_share",
        "kovrov",
        KOVROV,
        50,
        49,
        1,
        range(2019, 2025),
        ["19/29,4", "32", "100", "100", "100", "100"],
    ),
    *_table(
        "staff_trained_digital",
        "kovrov",
        KOVROV,
        61,
        60,
        1,
        range(2019, 2025),
        ["10/17", "20", "150", "210", "270", "300"],
    ),
    Figure(
        "equipment_funding", "kovrov", 2020, "plan", 20538.1, KOVROV, 26, "2020 год: 20538,1 тысяч рублей"
    ),
    Figure(
        "equipment_funding_regional",
        "kovrov",
        2020,
        "plan",
        20332.7,
        KOVROV,
        26,
        "20332,7 тысяч рублей из средств областного бюджета",
    ),
    Figure(
        "equipment_funding_municipal",
        "kovrov",
        2020,
        "plan",
        205.4,
        KOVROV,
        26,
        "205,4 тысяч рублей из городского бюджета",
    ),
    Figure("equipment_funding", "kovrov", 2021, "plan", 9109.5, KOVROV, 28, "2021 год: 9109,5 тысяч рублей"),
    Figure(
        "equipment_funding_regional",
        "kovrov",
        2021,
        "plan",
        9018.4,
        KOVROV,
        28,
        "9018,4 тысяч рублей из средств областного бюджета",
    ),
    Figure(
        "equipment_funding_municipal",
        "kovrov",
        2021,
        "plan",
        91.1,
        KOVROV,
        28,
        "91,1 тысяч рублей из городского бюджета",
    ),
    # Вичуга: counts of schools per year, and two targets in the text.
    Figure(
        "target_model_schools_new",
        "vichuga",
        2020,
        "plan",
        4,
        VICHUGA,
        46,
        "В 2020 году внедрение целевой модели цифровой образовательной среды запланировано в 4",
    ),
    Figure(
        "target_model_schools_new",
        "vichuga",
        2021,
        "plan",
        3,
        VICHUGA,
        48,
        "В 2021 году внедрение целевой модели цифровой образовательной среды запланировано в 3",
    ),
    Figure(
        "students_distance_learning_share",
        "vichuga",
        2022,
        "plan",
        90,
        VICHUGA,
        52,
        "увеличится к 2022 году до 90 %",
    ),
    Figure(
        "teachers_one_window_share",
        "vichuga",
        2021,
        "plan",
        50,
        VICHUGA,
        54,
        "50 % педагогов пройдут повышение квалификации",
    ),
    # Моршанск: «Перечень показателей», columns 2018 … 2024 (plans).
    *_table(
        "internet_speed_share",
        "morshansk",
        MORSHANSK,
        77,
        76,
        4,
        range(2018, 2025),
        ["0", "29", "43", "71", "86", "86", "100"],
    ),
    *_table(
        "target_model_share",
        "morshansk",
        MORSHANSK,
        78,
        76,
        4,
        range(2018, 2025),
        ["0", "0", "60", "60", "100", "100", "100"],
    ),
    *_table(
        "digital_profile_share",
        "morshansk",
        MORSHANSK,
        79,
        76,
        4,
        range(2018, 2025),
        ["0", "5", "15", "30", "50", "80", "90"],
    ),
    *_table(
        "federal_platform_orgs_share",
        "morshansk",
        MORSHANSK,
        82,
        76,
        4,
        range(2018, 2025),
        ["0", "5", "15", "40", "60", "85", "95"],
    ),
    *_table(
        "horizontal_learning_share",
        "morshansk",
        MORSHANSK,
        83,
        76,
        4,
        range(2018, 2025),
        ["0", "2", "7", "11", "15", "19", "20"],
    ),
    *_table(
        "teachers_one_window_share",
        "morshansk",
        MORSHANSK,
        84,
        76,
        4,
        range(2018, 2025),
        ["0", "4", "14", "23", "33", "44", "50"],
    ),
    # Моршанск: targets stated by the tasks (deadline 31.12 of the year).
    Figure(
        "sites_updated_share",
        "morshansk",
        2019,
        "plan",
        20,
        MORSHANSK,
        34,
        "не менее 20% образовательных организаций",
    ),
    Figure(
        "sites_updated_share",
        "morshansk",
        2020,
        "plan",
        35,
        MORSHANSK,
        51,
        "не менее 35% образовательных организаций",
    ),
    Figure(
        "sites_updated_share",
        "morshansk",
        2021,
        "plan",
        70,
        MORSHANSK,
        56,
        "не менее 70% образовательных организаций",
    ),
    Figure(
        "sites_updated_share",
        "morshansk",
        2022,
        "plan",
        100,
        MORSHANSK,
        61,
        "Все образовательные организации",
    ),
    Figure("students_digital_tech_programs", "morshansk", 2020, "plan", 50, MORSHANSK, 49, "50 детей"),
    Figure(
        "students_digital_tech_programs", "morshansk", 2021, "plan", 20, MORSHANSK, 55, "не менее 20 детей"
    ),
    Figure(
        "students_digital_tech_programs", "morshansk", 2022, "plan", 100, MORSHANSK, 60, "не менее 100 детей"
    ),
    Figure(
        "students_digital_tech_programs", "morshansk", 2023, "plan", 150, MORSHANSK, 65, "не менее 150 детей"
    ),
    Figure(
        "students_digital_tech_programs", "morshansk", 2024, "plan", 200, MORSHANSK, 67, "не менее 200 детей"
    ),
    # Бузулук: one value per indicator, for 2019.
    Figure("internet_speed_share", "buzuluk", 2019, "plan", 65, BUZULUK, 7, "65%"),
    Figure("digital_profile_share", "buzuluk", 2019, "plan", 5, BUZULUK, 15, "5%"),
    Figure("federal_platform_orgs_share", "buzuluk", 2019, "plan", 5, BUZULUK, 20, "Не менее 5%"),
    Figure("teachers_one_window_share", "buzuluk", 2019, "plan", 3, BUZULUK, 31, "3%"),
    Figure("sites_updated_share", "buzuluk", 2019, "plan", 23, BUZULUK, 50, "23%"),
]

#: Per-school facts: which schools got (or were to get) the target model in which year, and 100 Mb/s.
SCHOOL_FACTS: list[tuple[str, str, int, str, int]] = [
    *((f"kovrov-sosh-{n}", "target_model", 2020, KOVROV, 20) for n in (9, 11, 14, 15, 17, 21, 22, 23, 24)),
    *(
        (school, "target_model", 2021, KOVROV, 22)
        for school in ("kovrov-gimnaziya-1", "kovrov-sosh-4", "kovrov-sosh-8", "kovrov-sosh-19")
    ),
    *(
        (school, "internet_high_speed", 2019, KOVROV, 54)
        for school in ("kovrov-sosh-4", "kovrov-sosh-8", "kovrov-sosh-15", "kovrov-sosh-17", "kovrov-oosh-18")
    ),
    *(
        (f"vichuga-{n}", "target_model", 2020, VICHUGA, 46)
        for n in ("sosh-10", "sosh-11", "sosh-13", "oosh-6")
    ),
    *((f"vichuga-{n}", "target_model", 2021, VICHUGA, 48) for n in ("sosh-12", "sosh-17", "oosh-9")),
]


def _registry_figures() -> dict[tuple[str, str, int, str], float]:
    registry = load_registry(ROOT / "schools.yaml")
    figures: dict[tuple[str, str, int, str], float] = {}
    for region in registry.regions:
        for municipality in region.municipalities:
            for series in municipality.reported():
                for value in series.values:
                    for which in ("plan", "fact"):
                        number = getattr(value, which)
                        if number is not None:
                            key = (series.indicator, municipality.id, value.year, which)
                            assert key not in figures, key
                            figures[key] = number
    return figures


def test_every_figure_of_the_table_is_in_the_registry_and_nothing_else() -> None:
    in_registry = _registry_figures()
    in_table = {(f.indicator, f.municipality, f.year, f.which): f.value for f in FIGURES}
    assert len(in_table) == len(FIGURES), "a figure is listed twice"
    assert in_registry == in_table


def test_school_facts_match_the_documents_years() -> None:
    registry = load_registry(ROOT / "schools.yaml")
    facts = {
        (school.id, fact.fact): fact.year for _, _, school in registry.schools() for fact in school.facts
    }
    for school_id, fact, year, _, _ in SCHOOL_FACTS:
        assert facts.get((school_id, fact)) == year, (school_id, fact)
    listed = {(school_id, fact) for school_id, fact, *_ in SCHOOL_FACTS}
    stated = {key for key in facts if key[1] in ("target_model", "internet_high_speed")}
    assert stated == listed


def _seed_lines(seed: str) -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not present")
    return (SEEDS / seed).read_text(encoding="utf-8").split("\n")


def _stated_value(figure: Figure) -> float:
    """The value the seed's text states: the plan or fact part of «a/b», «Все» as 100, else the number."""
    if figure.shown.startswith("Все"):
        return 100.0
    if "/" in figure.shown:
        return _number(figure.shown.split("/")[0 if figure.which == "plan" else 1])
    text = figure.shown
    if re.match(r"^20\d\d год: ", text):
        text = text.split(": ", 1)[1]
    elif text.startswith("В 20"):
        return float(text.rsplit(" ", 1)[1])
    elif "к 2022 году" in text:
        text = text.split("до ", 1)[1]
    return _number(re.findall(r"\d+(?:,\d+)?", text)[0])


@pytest.mark.parametrize(
    "figure", FIGURES, ids=lambda f: f"{f.municipality}-{f.indicator}-{f.year}-{f.which}"
)
def test_figure_is_stated_on_its_line_of_the_document(figure: Figure) -> None:
    lines = _seed_lines(figure.seed)
    line = lines[figure.line - 1]
    if figure.column is not None:
        assert figure.header_line is not None
        assert line.split("\t")[figure.column] == figure.shown
        assert lines[figure.header_line - 1].split("\t")[figure.column].startswith(str(figure.year))
    else:
        assert figure.shown in line
    assert _stated_value(figure) == figure.value


@pytest.mark.parametrize("fact", SCHOOL_FACTS, ids=lambda fact: f"{fact[0]}-{fact[1]}")
def test_school_fact_is_stated_in_the_document(fact: tuple[str, str, int, str, int]) -> None:
    school_id, kind, year, seed, line_number = fact
    line = _seed_lines(seed)[line_number - 1]
    number = school_id.rsplit("-", 1)[1]
    assert re.search(rf"(?<!\d){number}(?!\d)", line), (school_id, line)
    if kind == "target_model":
        assert str(year) in line
