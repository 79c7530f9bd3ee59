"""Accessibility signals of ПП 102 read from HTML: each signal, its exemptions and the dates."""

from __future__ import annotations

import datetime as dt

from checks.accessibility import check_accessibility, page_signals
from checks.parsed_page import ParsedPage
from checks.results import AuditedSchool
from crawler.snapshot import PageSnapshot
from tests.conftest import AS_OF

GOOD = """<!doctype html><html lang="ru-RU"><head><title>Основные сведения</title></head><body>
<img src="/logo.png" alt="Герб школы"><img src="/line.png" alt=""><img src="/dot.png" aria-hidden="true">
<form><label for="q">Поиск</label><input id="q" name="q">
<label>Имя <input name="name"></label><input name="phone" aria-label="Телефон">
<span id="mail-caption">Почта</span><input name="mail" aria-labelledby="mail-caption">
<textarea name="text" title="Сообщение"></textarea>
<input type="hidden" name="token"><input type="submit" value="Отправить"></form>
</body></html>"""


def _page(body: str, url: str = "http://school.example/") -> ParsedPage:
    return ParsedPage(PageSnapshot(url=url, final_url=url, status=200, body=body))


def test_every_signal_in_order_passes() -> None:
    signals = page_signals(_page(GOOD))
    assert signals.russian and signals.has_title
    assert signals.images_without_alt == 0 and signals.unlabelled_fields == 0
    result = check_accessibility([_page(GOOD)], public=True, as_of=AS_OF)
    assert result.outcome == "pass"
    assert result.basis == "law" and "№ 102" in result.legal_ref


def test_each_signal_fails_on_its_own() -> None:
    broken = {
        "lang": GOOD.replace(' lang="ru-RU"', ""),
        "english": GOOD.replace('lang="ru-RU"', 'lang="en"'),
        "title": GOOD.replace("<title>Основные сведения</title>", "<title>  </title>"),
        "alt": GOOD.replace(' alt="Герб школы"', ""),
        "label": GOOD.replace(' aria-label="Телефон"', ""),
        "select": GOOD.replace("</form>", '<select name="grade"><option>1</option></select></form>'),
    }
    expected = {
        "lang": "русский язык страницы",
        "english": "русский язык страницы",
        "title": "<title>",
        "alt": "изображения без атрибута alt: 1",
        "label": "поля форм без подписи (label, aria-label): 1",
        "select": "поля форм без подписи (label, aria-label): 1",
    }
    for signal, body in broken.items():
        result = check_accessibility([_page(GOOD), _page(body, "http://school.example/sveden/")], True, AS_OF)
        assert result.outcome == "fail", signal
        assert expected[signal] in result.detail, signal
        assert "http://school.example/sveden/" in result.detail, signal
        assert "проверено страниц: 2" in result.detail


def test_offending_pages_are_listed_up_to_three() -> None:
    pages = [_page(GOOD.replace(' alt="Герб школы"', ""), f"http://school.example/p{n}") for n in range(5)]
    result = check_accessibility(pages, public=True, as_of=AS_OF)
    assert "на 5 стр." in result.detail and "и ещё 2" in result.detail
    assert "http://school.example/p2" in result.detail and "http://school.example/p3" not in result.detail


def test_in_force_from_march_2026_for_public_organizations() -> None:
    bad = [_page(GOOD.replace(' lang="ru-RU"', ""))]
    assert check_accessibility(bad, public=True, as_of=dt.date(2026, 2, 28)).outcome == "not_applicable"
    assert check_accessibility(bad, public=False, as_of=AS_OF).outcome == "not_applicable"
    assert check_accessibility(bad, public=True, as_of=dt.date(2026, 3, 1)).outcome == "fail"


def test_demo_sites(demo_by_id: dict[str, AuditedSchool]) -> None:
    outcomes = {
        school_id: school.extras["accessibility"].outcome
        for school_id, school in demo_by_id.items()
        if school.extras
    }
    assert outcomes["svetloozersk-sosh-1"] == "pass"
    assert {school_id for school_id, outcome in outcomes.items() if outcome == "fail"} == {
        "svetloozersk-sosh-3",
        "svetloozersk-sosh-4",
        "svetloozersk-oosh-5",
    }
