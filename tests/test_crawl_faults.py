"""Every network fault becomes its own status, on real loopback servers (one address per host)."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import trustme

from crawler.settings import RetryPolicy
from tests.crawl_helpers import crawl, fetch, school_site, settings
from tests.loopback_farm import Farm, Host, Reply, Route, html, serve_farm


@pytest.fixture
def farm() -> Iterator[Farm]:
    with serve_farm() as served:
        yield served


def test_dns_failure_is_its_own_fault() -> None:
    page = fetch(settings(), "http://school-that-does-not-exist.invalid/")
    assert page.fault == "dns_failure"
    assert not page.ok


def test_connection_refused() -> None:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.60.0.1", 0))
        port = probe_socket.getsockname()[1]
    page = fetch(settings(), f"http://127.60.0.1:{port}/")
    assert page.fault == "connection_refused"


def test_connect_timeout_when_the_host_never_accepts() -> None:
    # A listener whose accept queue is full drops new connection attempts: no SYN-ACK ever comes.
    with socket.socket() as listener:
        listener.bind(("127.60.0.2", 0))
        listener.listen(0)
        address = listener.getsockname()
        fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(address)
            fillers.append(filler)
        try:
            page = fetch(settings(connect_timeout=0.5), f"http://{address[0]}:{address[1]}/")
        finally:
            for filler in fillers:
                filler.close()
    assert page.fault == "connect_timeout"


def test_read_timeout_when_the_server_goes_silent(farm: Farm) -> None:
    host = farm.add("127.60.0.3", {"/": Reply(action="hang")})
    page = fetch(settings(read_timeout=0.5), host.base_url)
    assert page.fault == "read_timeout"


def test_total_timeout_when_the_server_drips(farm: Farm) -> None:
    # One byte every 0.2 s never trips the read timeout; the request timeout ends it.
    host = farm.add("127.60.0.4", {"/": Reply(body=b"x" * 100, action="drip")})
    page = fetch(settings(read_timeout=1.0, request_timeout=1.5), host.base_url)
    assert page.fault == "total_timeout"


def test_connection_reset(farm: Farm) -> None:
    host = farm.add("127.60.0.5", {"/": Reply(action="reset")})
    page = fetch(settings(), host.base_url)
    assert page.fault == "connection_reset"


def test_server_closing_without_an_answer_is_a_reset(farm: Farm) -> None:
    host = farm.add("127.60.0.6", {"/": Reply(action="close")})
    page = fetch(settings(), host.base_url)
    assert page.fault == "connection_reset"


@pytest.fixture(scope="module")
def national_ca() -> trustme.CA:
    """A CA no system bundle trusts, like the Russian national CA («Минцифры»)."""
    return trustme.CA(organization_name="Test national CA")


def _tls_host(farm: Farm, ca: trustme.CA, address: str, routes: Mapping[str, Route]) -> str:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(address).configure_cert(context)
    return farm.add(address, routes, tls=context).base_url


def test_untrusted_certificate_is_a_tls_error_and_a_ca_bundle_fixes_it(
    farm: Farm, national_ca: trustme.CA, tmp_path: Path
) -> None:
    url = _tls_host(farm, national_ca, "127.60.0.7", school_site())
    site = crawl(settings(), url)
    assert site.reachability == "tls_error"
    assert "certificate" in site.reachability_detail.lower()

    bundle = tmp_path / "national-ca.pem"
    national_ca.cert_pem.write_to_path(str(bundle))
    trusted = crawl(settings(extra_ca_bundle=bundle), url)
    assert trusted.reachability == "ok"
    assert trusted.home is not None and trusted.home.final_url.startswith("https://")


def test_429_waits_for_retry_after_then_retries(farm: Farm) -> None:
    answers = iter([Reply(status=429, headers=(("Retry-After", "1"),)), html("<title>ok</title>")])
    host = farm.add("127.60.0.8", {"/": lambda request: next(answers)})
    page = fetch(settings(retry=RetryPolicy(max_retries=2)), host.base_url)
    assert page.status == 200
    first, second = host.hits("/")
    assert second.at - first.at >= 0.9  # the server asked for one second


def test_retry_after_beyond_the_cap_is_not_waited_for(farm: Farm) -> None:
    host = farm.add("127.60.0.9", {"/": Reply(status=503, headers=(("Retry-After", "3600"),))})
    page = fetch(settings(retry=RetryPolicy(max_retries=2, max_retry_after=5)), host.base_url)
    assert page.status == 503
    assert len(host.hits("/")) == 1


def test_transient_errors_are_retried_with_backoff_up_to_the_limit(farm: Farm) -> None:
    host = farm.add("127.60.0.10", {"/": Reply(status=502)})
    page = fetch(settings(retry=RetryPolicy(max_retries=3, backoff_base=0.01)), host.base_url)
    assert page.status == 502
    assert len(host.hits("/")) == 4  # the first attempt and three retries
    control = farm.add("127.60.0.11", {"/": Reply(status=404)})
    fetch(settings(retry=RetryPolicy(max_retries=3, backoff_base=0.01)), control.base_url)
    assert len(control.hits("/")) == 1  # a 404 is an answer, not a fault


def test_reset_then_success_is_retried(farm: Farm) -> None:
    answers = iter([Reply(action="reset"), html("<title>ok</title>")])
    host = farm.add("127.60.0.12", {"/": lambda request: next(answers)})
    page = fetch(settings(retry=RetryPolicy(max_retries=1, backoff_base=0.01)), host.base_url)
    assert page.ok
    assert len(host.hits("/")) == 2


def test_a_site_that_outlives_its_budget_is_cut_off(farm: Farm) -> None:
    # A crawl trap: every page is slow; the budget ends the site, not the crawl.
    host = farm.add("127.60.0.13", school_site(extra=10, delay=0.4))
    site = crawl(settings(site_budget=1.0, read_timeout=2.0), host.base_url)
    assert site.reachability == "unreachable"
    assert "site_budget" in site.reachability_detail
    control = crawl(settings(site_budget=30.0, read_timeout=2.0), host.base_url)
    assert control.reachability == "ok"


def test_page_cap_limits_the_pages_fetched(farm: Farm) -> None:
    host = farm.add("127.60.0.14", school_site(extra=10))
    crawl(settings(max_pages_per_site=4), host.base_url)
    assert len(_pages(host)) == 1 + 4  # the home page, then the capped pages
    uncapped = farm.add("127.60.0.15", school_site(extra=10))
    crawl(settings(), uncapped.base_url)
    assert len(_pages(uncapped)) > 5


def _pages(host: Host) -> list[str]:
    """Pages asked for, robots.txt and the /food/ folder's fixed set of files aside."""
    return [path for path in host.paths() if path != "/robots.txt" and not path.startswith("/food/")]
