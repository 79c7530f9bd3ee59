"""Pure parts of the crawler: backoff, Retry-After, the address policy, the progress output."""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import pytest

from crawler.address_guard import AddressPolicy, non_public_address
from crawler.retries import parse_retry_after, retry_delay
from crawler.settings import RetryPolicy
from crawler.snapshot import SiteSummary
from sveden.crawl_progress import crawl_progress

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def test_backoff_grows_exponentially_with_full_jitter_and_a_cap() -> None:
    policy = RetryPolicy(max_retries=10, backoff_base=1.0, backoff_cap=5.0)
    rng = random.Random(1)
    for attempt in range(8):
        delays = [retry_delay(policy, attempt, status=503, rng=rng) for _ in range(200)]
        ceiling = min(5.0, 2.0**attempt)
        assert all(delay is not None and 0 <= delay <= ceiling for delay in delays)
        assert max(d for d in delays if d is not None) > ceiling * 0.8  # jitter spans the range


def test_what_is_retried_and_when_to_stop() -> None:
    policy = RetryPolicy(max_retries=2)
    assert retry_delay(policy, 0, status=404) is None
    assert retry_delay(policy, 0, fault="dns_failure") is None
    assert retry_delay(policy, 0, fault="tls_error") is None
    assert retry_delay(policy, 0, fault="read_timeout") is not None
    assert retry_delay(policy, 1, status=429) is not None
    assert retry_delay(policy, 2, status=429) is None  # two retries made
    assert retry_delay(policy, 0, status=429, retry_after=7.0) == 7.0
    assert retry_delay(policy, 0, status=429, retry_after=policy.max_retry_after + 1) is None


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), ("Mon, 23 Nov 2026 12:00:30 GMT", 30.0), ("Mon, 23 Nov 2026 11:00:00 GMT", 0.0)],
)
def test_retry_after_in_seconds_or_as_a_date(value: str, seconds: float) -> None:
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize("value", [None, "", "soon", "-5"])
def test_unreadable_retry_after_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.5.6.7",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fd00::1",
        "fe80::1%eth0",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "100.64.0.1",
    ],
)
def test_non_public_addresses(address: str) -> None:
    assert non_public_address(address)
    assert AddressPolicy(allow_private=False).refuses(address)
    assert not AddressPolicy(allow_private=True).refuses(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "95.163.0.1", "2a00:1450:4010::1"])
def test_public_addresses(address: str) -> None:
    assert not non_public_address(address)
    assert not AddressPolicy(allow_private=False).refuses(address)


def test_allowed_networks_open_only_themselves() -> None:
    policy = AddressPolicy(allow_private=False, allowed_networks=["10.20.0.0/16"])
    assert not policy.refuses("10.20.3.4")
    assert policy.refuses("10.21.0.1")
    assert policy.refuses("169.254.169.254")


def _summary(school: str, reachability: str, faults: tuple[str, ...] = ()) -> SiteSummary:
    return SiteSummary.model_validate(
        {
            "school_id": school,
            "reachability": reachability,
            "pages": 3,
            "not_modified": 1,
            "documents": 2,
            "faults": faults,
        }
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_ends_with_a_summary() -> None:
    out = _Terminal()
    with crawl_progress(run_id=4, total=3, resumed=1, stream=out) as on_site:
        on_site(_summary("a", "ok"))
        on_site(_summary("b", "unreachable", ("connect_timeout",)))
    text = out.getvalue()
    assert "run 4: 3 sites (1 already stored)" in text
    assert "6 pages (2 unchanged, 304), 4 documents, 2 errors" in text
    assert "connect_timeout 1" in text


def test_progress_elsewhere_is_json_lines() -> None:
    out = io.StringIO()
    with crawl_progress(run_id=2, total=2, resumed=0, stream=out) as on_site:
        on_site(_summary("a", "ok"))
        on_site(_summary("b", "tls_error", ("tls_error",)))
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [event["event"] for event in events] == ["site", "site", "summary"]
    assert events[1] == {
        "event": "site",
        "run": 2,
        "done": 2,
        "total": 2,
        "school_id": "b",
        "reachability": "tls_error",
        "pages": 3,
        "documents": 2,
        "errors": 2,
    }
    assert events[2]["faults"] == {"tls_error": 1}
    assert events[2]["reachability"] == {"ok": 1, "tls_error": 1}
