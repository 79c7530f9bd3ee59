"""The ПОС widget: found in parsed HTML (not in comments or text), and on the served demo sites."""

from __future__ import annotations

from checks.parsed_page import ParsedPage
from checks.pos_widget import check_pos_widget, find_pos_embed
from checks.results import AuditedSchool
from crawler.snapshot import PageSnapshot

EMBED = """<!doctype html><html lang="ru"><head><title>Школа</title></head><body>
<div id='js-show-iframe-wrapper'><div class='pos-banner-fluid'>
<button class='pos-banner-btn_2'>Написать</button></div></div>
<script src='//pos.gosuslugi.ru/bin/script.min.js'></script>
<script>
  (function(){ "use strict"; Widget('https://pos.gosuslugi.ru/form', 321654) })();
</script>
</body></html>"""


def _home(body: str) -> ParsedPage:
    url = "http://school.example/"
    return ParsedPage(PageSnapshot(url=url, final_url=url, status=200, body=body))


def test_full_embed_passes_with_the_form_number() -> None:
    embed = find_pos_embed(_home(EMBED).root)
    assert embed.script and embed.wrapper and embed.widget_id == "321654"
    result = check_pos_widget(_home(EMBED))
    assert result.outcome == "pass"
    assert "321654" in result.detail
    assert result.basis == "practice" and "не подтверждена" in result.legal_ref


def test_mentions_outside_elements_do_not_count() -> None:
    text_only = """<html lang="ru"><title>Школа</title><body>
    <!-- <script src="https://pos.gosuslugi.ru/bin/script.min.js"></script> -->
    <p>Скрипт https://pos.gosuslugi.ru/bin/script.min.js и вызов Widget("https://pos.gosuslugi.ru/form", 1)
    будут добавлены позже.</p></body></html>"""
    assert check_pos_widget(_home(text_only)).outcome == "fail"


def test_partial_embed_and_form_link_warn() -> None:
    no_call = EMBED.replace("Widget('https://pos.gosuslugi.ru/form', 321654)", "init()")
    assert check_pos_widget(_home(no_call)).outcome == "warn"
    link = '<html><body><a href="https://pos.gosuslugi.ru/form/?opaId=5">Госуслуги</a></body></html>'
    result = check_pos_widget(_home(link))
    assert result.outcome == "warn" and "ссылка на форму" in result.detail
    other_host = link.replace("pos.gosuslugi.ru", "pos.gosuslugi.ru.example")
    assert check_pos_widget(_home(other_host)).outcome == "fail"


def test_demo_sites(demo_by_id: dict[str, AuditedSchool]) -> None:
    assert demo_by_id["svetloozersk-sosh-1"].extras["pos_widget"].outcome == "pass"
    assert "100001" in demo_by_id["svetloozersk-sosh-1"].extras["pos_widget"].detail
    assert demo_by_id["svetloozersk-gimnaziya-2"].extras["pos_widget"].outcome == "warn"
    assert demo_by_id["svetloozersk-sosh-2"].extras["pos_widget"].outcome == "fail"
