"""Expected audit outcome of every demo school: the oracle for tests that run on the demo sites.

Derived BY HAND from the static pages under ``demo/sites/`` (and from ``demo/hosts.yaml`` and
``demo/schools.yaml``), never by running the checker: each entry records what was written into
the pages on purpose. Everything in the demo is fictional (municipality «Городской округ
Светлоозёрск» of «Демонстрационная область»).

How to read an entry:

- ``reachability``: ``ok`` (home page answers and the section is found), ``unreachable``
  (connection refused or no answer), ``no_section`` (home page answers, no special section) or
  ``no_url`` (the registry has no address; never crawled).
- ``section_path`` / ``section_found_by``: where the section index is and how it is found;
  ``None`` when there is no section.
- ``subsections_found``: subsection key → (URL path of its page, how it is found), only for the
  subsections that exist. Every subsection NOT listed answers 404 and is linked from nowhere, so
  its ``SV-<KEY>-PAGE`` rule and all its item rules fail; those codes are deliberately left out
  of ``failing_codes``.
- ``failing_codes``: every other rule that must fail — the individual items broken on purpose and
  the section-level rules (``SV-SECTION-*``) that fail. A rule of an existing subsection that is
  not listed here is written to pass (present values, «отсутствует», «не предусмотрено» or «0»).
  For ``no_section`` schools only the two link rules are listed: without section pages there is
  nothing for ``SV-SECTION-NAVIGATION`` and ``SV-SECTION-NO-REGISTRATION`` to judge. For
  ``unreachable`` and ``no_url`` schools nothing can be checked, so the set is empty.
- ``statuses``: the expected item status of every item broken on purpose. It may name an
  if-applicable item that is reported ``missing`` but does not fail (``svetloozersk-sosh-4``:
  no collective agreement published, ``SV-DOCUMENT-LOCALACTCOLLEC``).
- ``sample_value``: one (rule code, exact visible value) pair the checker must extract, or
  ``None`` when no section page can be read.
- ``extras``: the outcome of every extra check (outside order 1493) when the home page answers;
  empty when it does not. No demo site speaks HTTPS (the demo serves http:// only and nothing
  answers on port 443 of its addresses), so ``https`` fails everywhere. Only sosh-1 links the
  ministries' sites. `/food/` styles are in ``demo/hosts.yaml`` (sveden/demo_food.py makes the
  files for the day served): sosh-1 and gimnaziya-2 complete with a listing, oosh-9 complete
  without a listing, sosh-2 without daily menus, sosh-3 with a PDF named findex.xlsx, the rest
  without a folder; licey-3 has no primary grades (not applicable). Accessibility: sosh-3's home
  page has an image without alt, sosh-4's a search field without a label, oosh-5's home page has
  neither lang nor title. ПОС: sosh-1 embeds the widget, gimnaziya-2 only links the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ALL_SUBSECTIONS",
    "DEMO_EXPECTATIONS",
    "DemoExpectation",
    "ExtraOutcome",
    "FoundBy",
    "ItemStatus",
    "Reachability",
]

Reachability = Literal["ok", "unreachable", "no_section", "no_url"]
FoundBy = Literal["standard_path", "link_text"]
ItemStatus = Literal["present", "empty", "placeholder", "missing", "outside_parent", "broken_link"]
ExtraOutcome = Literal["pass", "fail", "warn", "not_applicable"]

# MR v9 Table 3.1 order (checks/rulebook.yaml `subsections`).
ALL_SUBSECTIONS: tuple[str, ...] = (
    "common",
    "struct",
    "document",
    "education",
    "eduStandarts",
    "managers",
    "employees",
    "objects",
    "grants",
    "paid_edu",
    "budget",
    "vacant",
    "inter",
    "catering",
)


@dataclass(frozen=True)
class DemoExpectation:
    """What an audit of one demo school must find (see the module docstring)."""

    site: str | None  # folder under demo/sites/, None when no site is served
    reachability: Reachability
    section_path: str | None
    section_found_by: FoundBy | None
    subsections_found: Mapping[str, tuple[str, FoundBy]]
    failing_codes: frozenset[str]
    statuses: Mapping[str, ItemStatus]
    sample_value: tuple[str, str] | None
    extras: Mapping[str, ExtraOutcome]


def _standard(*excluded: str) -> dict[str, tuple[str, FoundBy]]:
    """Subsections at `/sveden/<key>` (exact MR v9 case), found by the standard path."""
    return {key: (f"/sveden/{key}", "standard_path") for key in ALL_SUBSECTIONS if key not in excluded}


# gimnaziya-2 keeps its section at /o-shkole/svedeniya/ under Latin slugs; the section index links
# each page with the official subsection title as link text.
_GIMNAZIYA_SLUGS: dict[str, str] = {
    "common": "osnovnye-svedeniya",
    "struct": "struktura",
    "document": "dokumenty",
    "education": "obrazovanie",
    "eduStandarts": "standarty",
    "managers": "rukovodstvo",
    "employees": "pedagogicheskiy-sostav",
    "objects": "materialno-tehnicheskoe-obespechenie",
    "grants": "stipendii",
    "paid_edu": "platnye-uslugi",
    "budget": "finansovo-hozyaystvennaya-deyatelnost",
    "vacant": "vakantnye-mesta",
    "inter": "mezhdunarodnoe-sotrudnichestvo",
    "catering": "pitanie",
}

_NOTHING: frozenset[str] = frozenset()


def _extras(
    food: ExtraOutcome,
    accessibility: ExtraOutcome,
    pos_widget: ExtraOutcome,
    ministries: ExtraOutcome = "fail",
) -> dict[str, ExtraOutcome]:
    """Extra checks of a demo site served over http:// only (``https`` fails)."""
    return {
        "https": "fail",
        "ministries_links": ministries,
        "food": food,
        "accessibility": accessibility,
        "pos_widget": pos_widget,
    }


DEMO_EXPECTATIONS: dict[str, DemoExpectation] = {
    # 127.0.1.1 — fully compliant: every required and if-applicable item present, all documents exist.
    "svetloozersk-sosh-1": DemoExpectation(
        site="sosh-1",
        reachability="ok",
        section_path="/sveden/",
        section_found_by="standard_path",
        subsections_found=_standard(),
        failing_codes=_NOTHING,
        statuses={},
        sample_value=(
            "SV-COMMON-FULLNAME",
            "Муниципальное бюджетное общеобразовательное учреждение "
            "«Средняя общеобразовательная школа № 1» г. Светлоозёрска",
        ),
        extras=_extras("pass", "pass", "pass", ministries="pass"),
    ),
    # 127.0.1.2 — no «Стипендии…» and «Международное сотрудничество» pages; regDate not marked up
    # (the row is gone); the teachers' table has no specExperience column at all.
    "svetloozersk-sosh-2": DemoExpectation(
        site="sosh-2",
        reachability="ok",
        section_path="/sveden/",
        section_found_by="standard_path",
        subsections_found=_standard("grants", "inter"),
        failing_codes=frozenset({"SV-COMMON-REGDATE", "SV-EMPLOYEES-TEACHINGSTAFF-SPECEXPERIENCE"}),
        statuses={
            "SV-COMMON-REGDATE": "missing",
            "SV-EMPLOYEES-TEACHINGSTAFF-SPECEXPERIENCE": "missing",
        },
        sample_value=("SV-MANAGERS-RUCOVODSTVO-FIO", "Орлов Виктор Степанович"),
        extras=_extras("fail", "pass", "fail"),
    ),
    # 127.0.1.3 — value problems: <span itemprop="workTime"></span>; the head's e-mail «нет данных»;
    # no plan of financial activity; catering objAddress is the next sibling of the meals element.
    "svetloozersk-sosh-3": DemoExpectation(
        site="sosh-3",
        reachability="ok",
        section_path="/sveden/",
        section_found_by="standard_path",
        subsections_found=_standard(),
        failing_codes=frozenset(
            {
                "SV-COMMON-WORKTIME",
                "SV-MANAGERS-RUCOVODSTVO-EMAIL",
                "SV-BUDGET-FINPLANDOCLINK",
                "SV-CATERING-MEALS-OBJADDRESS",
            }
        ),
        statuses={
            "SV-COMMON-WORKTIME": "empty",
            "SV-MANAGERS-RUCOVODSTVO-EMAIL": "placeholder",
            "SV-BUDGET-FINPLANDOCLINK": "missing",
            "SV-CATERING-MEALS-OBJADDRESS": "outside_parent",
        },
        sample_value=(
            "SV-COMMON-ADDRESS",
            "456791, Демонстрационная область, г. Светлоозёрск, пр. Строителей, д. 7",
        ),
        extras=_extras("fail", "fail", "fail"),
    ),
    # 127.0.1.4 — complete markup, but /sveden/ answers 404: the home page menu links «Сведения об ОО»
    # to /o-shkole/svedeniya/, whose index links the subsections by their official titles.
    "svetloozersk-gimnaziya-2": DemoExpectation(
        site="gimnaziya-2",
        reachability="ok",
        section_path="/o-shkole/svedeniya/",
        section_found_by="link_text",
        subsections_found={
            key: (f"/o-shkole/svedeniya/{slug}/", "link_text") for key, slug in _GIMNAZIYA_SLUGS.items()
        },
        failing_codes=_NOTHING,
        statuses={},
        sample_value=(
            "SV-COMMON-FULLNAME",
            "Муниципальное автономное общеобразовательное учреждение «Гимназия № 2» г. Светлоозёрска",
        ),
        extras=_extras("pass", "pass", "warn"),
    ),
    # 127.0.1.5 — home page with news and a menu, no special section anywhere; /sveden/ is 404.
    "svetloozersk-licey-3": DemoExpectation(
        site="licey-3",
        reachability="no_section",
        section_path=None,
        section_found_by=None,
        subsections_found={},
        failing_codes=frozenset({"SV-SECTION-MAINPAGE-LINK", "SV-SECTION-MENU-LINK"}),
        statuses={},
        sample_value=None,
        extras=_extras("not_applicable", "pass", "fail"),
    ),
    # 127.0.1.6 — pages in windows-1251, declared only by <meta http-equiv="Content-Type">; no
    # «Международное сотрудничество»; no collective agreement (if applicable: reported, not failed).
    "svetloozersk-sosh-4": DemoExpectation(
        site="sosh-4-cp1251",
        reachability="ok",
        section_path="/sveden/",
        section_found_by="standard_path",
        subsections_found=_standard("inter"),
        failing_codes=_NOTHING,
        statuses={"SV-DOCUMENT-LOCALACTCOLLEC": "missing"},
        sample_value=("SV-MANAGERS-RUCOVODSTVO-FIO", "Ёлкина Татьяна Сергеевна"),
        extras=_extras("fail", "fail", "fail"),
    ),
    # 127.0.1.7 — complete markup, but four document links point to /upload/docs/… files that are
    # not there (404).
    "svetloozersk-oosh-5": DemoExpectation(
        site="oosh-5-broken-docs",
        reachability="ok",
        section_path="/sveden/",
        section_found_by="standard_path",
        subsections_found=_standard(),
        failing_codes=frozenset(
            {
                "SV-COMMON-LICENSEDOCLINK",
                "SV-DOCUMENT-USTAVDOCLINK",
                "SV-DOCUMENT-LOCALACTSTUD",
                "SV-DOCUMENT-PRIEMDOCLINK",
            }
        ),
        statuses={
            "SV-COMMON-LICENSEDOCLINK": "broken_link",
            "SV-DOCUMENT-USTAVDOCLINK": "broken_link",
            "SV-DOCUMENT-LOCALACTSTUD": "broken_link",
            "SV-DOCUMENT-PRIEMDOCLINK": "broken_link",
        },
        sample_value=("SV-COMMON-REGDATE", "01.09.1964"),
        extras=_extras("fail", "fail", "fail"),
    ),
    # 127.0.1.8 — nothing listens: connection refused.
    "svetloozersk-sosh-6": DemoExpectation(
        site=None,
        reachability="unreachable",
        section_path=None,
        section_found_by=None,
        subsections_found={},
        failing_codes=_NOTHING,
        statuses={},
        sample_value=None,
        extras={},
    ),
    # 127.0.1.9 — accepts the TCP connection and never answers (timeout).
    "svetloozersk-sosh-7": DemoExpectation(
        site=None,
        reachability="unreachable",
        section_path=None,
        section_found_by=None,
        subsections_found={},
        failing_codes=_NOTHING,
        statuses={},
        sample_value=None,
        extras={},
    ),
    # 127.0.1.10 — complete section at /sveden/, linked from the home page footer only (not from the
    # <nav> menu); objects, grants, paid_edu, budget, vacant, inter and catering pages carry no
    # section navigation and no link to /sveden/.
    "svetloozersk-sosh-8": DemoExpectation(
        site="sosh-8-no-menu",
        reachability="ok",
        section_path="/sveden/",
        section_found_by="standard_path",
        subsections_found=_standard(),
        failing_codes=frozenset({"SV-SECTION-MENU-LINK", "SV-SECTION-NAVIGATION"}),
        statuses={},
        sample_value=("SV-BUDGET-FINBRVOLUME", "47 025,6"),
        extras=_extras("fail", "pass", "fail"),
    ),
    # 127.0.1.11 — small rural school: only common, struct, document, education, managers,
    # employees and catering exist, each complete.
    "svetloozersk-oosh-9": DemoExpectation(
        site="oosh-9-rural",
        reachability="ok",
        section_path="/sveden/",
        section_found_by="standard_path",
        subsections_found=_standard(
            "eduStandarts", "objects", "grants", "paid_edu", "budget", "vacant", "inter"
        ),
        failing_codes=_NOTHING,
        statuses={},
        sample_value=(
            "SV-COMMON-ADDRESS",
            "456798, Демонстрационная область, городской округ Светлоозёрск, с. Ольховка, "
            "ул. Центральная, д. 12",
        ),
        extras=_extras("pass", "pass", "fail"),
    ),
    # No url in the registry: listed as "address not on record", never crawled.
    "svetloozersk-nosh-10": DemoExpectation(
        site=None,
        reachability="no_url",
        section_path=None,
        section_found_by=None,
        subsections_found={},
        failing_codes=_NOTHING,
        statuses={},
        sample_value=None,
        extras={},
    ),
}
