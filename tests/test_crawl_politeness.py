"""robots.txt, per-host limits, the User-Agent and conditional requests, seen from the server."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.fetcher import StoredPage
from crawler.settings import RetryPolicy
from crawler.snapshot import SiteSnapshot
from sveden.snapshot_store import SnapshotStore
from tests.crawl_helpers import crawl, fetch, school_site, settings
from tests.loopback_farm import Farm, Host, Reply, Request, Route, html, serve_farm


@pytest.fixture
def farm() -> Iterator[Farm]:
    with serve_farm() as served:
        yield served


def _robots(text: str, status: int = 200) -> Reply:
    return Reply(status=status, body=text.encode(), content_type="text/plain")


def _site_paths(host: Host) -> list[str]:
    return [path for path in host.paths() if path != "/robots.txt"]


# -- robots.txt ---------------------------------------------------------------------------------


def test_robots_disallow_is_obeyed(farm: Farm) -> None:
    routes = {**school_site(), "/robots.txt": _robots("User-agent: *\nDisallow: /sveden/struct\n")}
    host = farm.add("127.62.0.1", routes)
    site = crawl(settings(), host.base_url)
    assert "/sveden/struct" not in host.paths()
    assert "/sveden/common" in host.paths()  # control: what is allowed is fetched
    assert [sub.key for sub in site.subsections] == ["common"]
    assert any("blocked_by_robots" in line for line in site.discovery_trace)


def test_robots_rules_for_our_token_win_over_the_wildcard(farm: Farm) -> None:
    text = "User-agent: *\nAllow: /\n\nUser-agent: sveden\nDisallow: /\n"
    host = farm.add("127.62.0.2", {**school_site(), "/robots.txt": _robots(text)})
    site = crawl(settings(), host.base_url)
    assert site.reachability == "blocked_by_robots"
    assert _site_paths(host) == []


def test_robots_404_allows_everything(farm: Farm) -> None:
    host = farm.add("127.62.0.3", {**school_site(), "/robots.txt": _robots("gone", status=404)})
    assert crawl(settings(), host.base_url).reachability == "ok"


def test_robots_5xx_blocks_the_site_for_now(farm: Farm) -> None:
    host = farm.add("127.62.0.4", {**school_site(), "/robots.txt": _robots("busy", status=503)})
    site = crawl(settings(), host.base_url)
    assert site.reachability == "blocked_by_robots"
    assert "503" in site.reachability_detail
    assert _site_paths(host) == []


def test_robots_unreachable_reports_the_fault(farm: Farm) -> None:
    host = farm.add("127.62.0.5", {**school_site(), "/robots.txt": Reply(action="reset")})
    site = crawl(settings(), host.base_url)
    assert site.reachability == "unreachable"
    assert site.reachability_detail.startswith("connection_reset")
    assert _site_paths(host) == []


def test_robots_redirect_is_followed(farm: Farm) -> None:
    routes = {
        **school_site(),
        "/robots.txt": Reply(status=301, headers=(("Location", "/real-robots.txt"),)),
        "/real-robots.txt": _robots("User-agent: *\nDisallow: /\n"),
    }
    host = farm.add("127.62.0.6", routes)
    assert crawl(settings(), host.base_url).reachability == "blocked_by_robots"


def _start_gaps(host: Host) -> list[float]:
    starts = [request.at for request in host.requests if request.path != "/robots.txt"]
    return [later - earlier for earlier, later in itertools.pairwise(starts)]


def test_crawl_delay_is_honoured_within_the_cap(farm: Farm) -> None:
    routes = {**school_site(extra=3), "/robots.txt": _robots("User-agent: *\nCrawl-delay: 0.6\n")}
    host = farm.add("127.62.0.7", routes)
    crawl(settings(), host.base_url)
    assert min(_start_gaps(host)) >= 0.6 * 0.5 - 0.05  # jitter is ±50 %; 50 ms for delivery
    control = farm.add("127.62.0.8", school_site(extra=3))
    crawl(settings(), control.base_url)
    assert min(_start_gaps(control)) < 0.1  # without Crawl-delay the test settings do not wait

    greedy = {**school_site(extra=3), "/robots.txt": _robots("User-agent: *\nCrawl-delay: 3600\n")}
    capped = farm.add("127.62.0.9", greedy)
    crawl(settings(max_crawl_delay=0.2), capped.base_url)
    gaps = _start_gaps(capped)
    assert min(gaps) >= 0.2 * 0.5 - 0.05
    assert max(gaps) < 1.0  # an hour's delay is capped, the site is still crawled
    assert len(gaps) >= 5


def test_robots_is_fetched_once_per_host(farm: Farm) -> None:
    host = farm.add("127.62.0.10", school_site(extra=4))
    crawl(settings(), host.base_url)
    assert host.paths().count("/robots.txt") == 1


def test_user_agent_is_honest_and_has_the_contact_address(farm: Farm) -> None:
    host = farm.add("127.62.0.11", school_site())
    crawl(settings(contact_url="https://example.org/sveden-crawler"), host.base_url)
    agents = {request.headers.get("user-agent", "") for request in host.requests}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("sveden/")
    assert "https://example.org/sveden-crawler" in agent


# -- per-host limits ----------------------------------------------------------------------------


def test_at_most_two_connections_per_host(farm: Farm) -> None:
    # Ten addRef pages, each slow: the crawler asks for them together.
    host = farm.add("127.62.0.12", school_site(extra=10, delay=0.3))
    crawl(settings(), host.base_url)
    assert host.peak_connections == 2
    # Control: the server can see more than two at once when the cap allows it.
    control = farm.add("127.62.0.13", school_site(extra=10, delay=0.3))
    crawl(settings(per_host_connections=6), control.base_url)
    assert control.peak_connections > 2


def test_connections_are_kept_alive_through_pages_and_document_probes(farm: Farm) -> None:
    host = farm.add("127.62.0.18", school_site(extra=3, documents=8))
    site = crawl(settings(), host.base_url)
    assert len(site.documents) == 8
    assert all(document.ok for document in site.documents)
    assert len(host.requests) > 15
    assert host.opened_connections <= 2  # HEAD answers included: no reconnection per request


def test_per_host_delay_spaces_request_starts(farm: Farm) -> None:
    host = farm.add("127.62.0.14", school_site(extra=4))
    crawl(settings(per_host_delay=0.3), host.base_url)
    assert min(_start_gaps(host)) >= 0.3 * 0.5 - 0.05


def test_backoff_holds_back_the_whole_host(farm: Farm) -> None:
    answers = iter([Reply(status=503, headers=(("Retry-After", "1"),))])
    routes = {**school_site(), "/sveden/common": lambda request: next(answers, html("<p>ok</p>"))}
    host = farm.add("127.62.0.15", routes)
    # One connection: the subsection asked next waits with the retry, not just the retry itself.
    crawl(settings(retry=RetryPolicy(max_retries=1), per_host_connections=1), host.base_url)
    assert "/sveden/struct" in host.paths()
    refused_at = host.hits("/sveden/common")[0].at
    later = [request.at for request in host.requests if request.at > refused_at]
    assert later and min(later) - refused_at >= 0.9


# -- conditional requests -----------------------------------------------------------------------


def _versioned_page(versions: dict[str, str]) -> Route:
    def answer(request: Request) -> Reply:
        etag = versions["etag"]
        headers = (("ETag", etag), ("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT"))
        if request.headers.get("if-none-match") == etag:
            return Reply(status=304, headers=headers, content_type=None)
        return html(versions["body"], headers=headers)

    return answer


def _crawl_into(store_path: Path, url: str) -> SiteSnapshot:
    with SnapshotStore(store_path) as store:
        run = store.start_run()
        site = crawl(settings(), url, stored=store)
        store.put_snapshot(run, site)
        store.finish_run(run, "complete")
        return site


def test_unchanged_page_costs_a_304_and_reuses_the_stored_body(farm: Farm, tmp_path: Path) -> None:
    versions = {"etag": '"v1"', "body": "<title>Основные сведения</title><p>Версия 1</p>"}
    routes = {**school_site(), "/sveden/common": _versioned_page(versions)}
    host = farm.add("127.62.0.16", routes)
    store_path = tmp_path / "store.sqlite3"

    first = _crawl_into(store_path, host.base_url)
    assert "if-none-match" not in host.hits("/sveden/common")[0].headers  # nothing stored yet

    second = _crawl_into(store_path, host.base_url)
    request = host.hits("/sveden/common")[1]
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == "Mon, 02 Nov 2026 10:00:00 GMT"
    first_page, second_page = first.subsections[0].pages[0], second.subsections[0].pages[0]
    assert second_page.not_modified and not first_page.not_modified
    assert second_page.text == first_page.text
    assert "Версия 1" in second_page.text

    versions.update(etag='"v2"', body="<title>Основные сведения</title><p>Версия 2</p>")
    third = _crawl_into(store_path, host.base_url)
    changed = third.subsections[0].pages[0]
    assert not changed.not_modified
    assert "Версия 2" in changed.text
    with SnapshotStore(store_path) as store:  # every run kept, each with its own body
        bodies = [next(iter(s.subsections)).pages[0].text for run in (1, 2, 3) for s in store.snapshots(run)]
    assert ["Версия 1" in bodies[0], "Версия 1" in bodies[1], "Версия 2" in bodies[2]] == [True] * 3


def test_stored_page_lookup_round_trips(tmp_path: Path, farm: Farm) -> None:
    host = farm.add("127.62.0.17", {"/": _versioned_page({"etag": '"x"', "body": "<p>тело</p>"})})
    with SnapshotStore(tmp_path / "s.sqlite3") as store:
        run = store.start_run()
        page = fetch(settings(), host.base_url, stored=store)
        store.put_snapshot(
            run, SiteSnapshot(school_id="s", url=host.base_url, fetched_at="t", reachability="ok", home=page)
        )
        stored = store.stored_page(host.base_url)
        validators = store.stored_validators(host.base_url)
        assert store.stored_validators(host.url("/elsewhere")) is None
    assert validators == ('"x"', "Mon, 02 Nov 2026 10:00:00 GMT")
    assert isinstance(stored, StoredPage)
    assert stored.etag == '"x"'
    assert "тело".encode() in stored.body
