"""Every crawler knob in one place, each with its documented default.

The defaults are the politeness the nightly job uses against real school sites: at most two
connections and one request start every 0.25 s (±50 % jitter) per host, robots.txt obeyed,
``Crawl-delay`` honoured up to 10 s, two retries with exponential backoff. Only tests and the
demo, which talk to loopback servers, turn the delay down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEFAULT_USER_AGENT", "ROBOTS_TOKEN", "CrawlSettings", "RetryPolicy"]

#: The product token robots.txt rules are matched against (``User-agent: sveden``).
ROBOTS_TOKEN = "sveden"
DEFAULT_USER_AGENT = ROBOTS_TOKEN + "/0.1 (audit of school sites under Rosobrnadzor order 1493; +{contact})"


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before asking again (the logic is in `crawler.retries`).

    Usage::

        RetryPolicy(max_retries=3, backoff_base=0.5)
    """

    #: Retries after the first attempt (Scrapy's RETRY_TIMES is 2 as well).
    max_retries: int = 2
    #: The first backoff in seconds; attempt n waits a random time in [0, base·2ⁿ] ("full jitter").
    backoff_base: float = 1.0
    #: No single backoff is longer than this, in seconds.
    backoff_cap: float = 30.0
    #: A ``Retry-After`` longer than this (seconds) is not waited for: the answer is recorded as is.
    max_retry_after: float = 120.0
    #: Statuses worth asking again: request timeout, throttling, transient server errors.
    statuses: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504})
    #: Faults worth asking again (see `crawler.faults`); DNS, TLS and refused addresses are not.
    faults: frozenset[str] = frozenset(
        {"connect_timeout", "read_timeout", "connection_reset", "connection_refused", "protocol_error"}
    )


@dataclass(frozen=True)
class CrawlSettings:
    """How the crawler behaves; one frozen value passed to everything that fetches.

    Usage::

        settings = CrawlSettings(per_host_delay=1.0, allow_private=False)
    """

    #: Sites crawled at once. Hosts are independent, so this is also the number of hosts in
    #: flight; memory grows with it (pages of a site are held until the site is stored), never
    #: with the size of the registry.
    concurrent_sites: int = 1000
    #: Processes that share those sites, one event loop each (parsing and HTTP cost CPU; one
    #: process uses one core). Default: the number of CPUs, at most 4. Sites are split by
    #: host, so each school host is still crawled by one process within its per-host limits.
    workers: int = field(default_factory=lambda: min(4, os.cpu_count() or 1))
    #: Connections open to one host at once (DESIGN.md: at most 2).
    per_host_connections: int = 2
    #: Seconds between two request starts to one host; each wait is jittered by ±50 %.
    per_host_delay: float = 0.25
    #: A robots.txt ``Crawl-delay`` above `per_host_delay` is honoured up to this many seconds.
    max_crawl_delay: float = 10.0
    #: When the event loop lags more than this many seconds (the crawl is CPU-bound), fewer
    #: requests start at once and the slowest hosts go first (`crawler.load_gate`); 0 turns
    #: this off.
    max_loop_lag: float = 0.03
    #: Obey robots.txt (a robots.txt answering 4xx allows all; 5xx or unreachable disallows all).
    obey_robots: bool = True
    #: Seconds to open a TCP connection (and finish the TLS handshake).
    connect_timeout: float = 5.0
    #: Seconds of silence allowed while reading an answer.
    read_timeout: float = 10.0
    #: Seconds one request may take in total, however the server drips its answer.
    request_timeout: float = 30.0
    #: Wall-clock budget for one whole site, in seconds (a crawl trap cannot hold a worker).
    site_budget: float = 180.0
    #: Pages fetched per site at most (section index, subsections and their addRef pages).
    max_pages_per_site: int = 80
    #: Documents probed per site at most.
    max_documents_per_site: int = 150
    #: addRef pages followed per subsection (MR v9: «не более 10»).
    max_add_refs: int = 10
    #: Redirects (HTTP and ``<meta http-equiv=refresh>``) followed per request.
    max_redirects: int = 5
    #: Decoded bytes kept of one answer; the rest is not read (multi-MB staff pages fit, a gzip
    #: bomb does not).
    max_body_bytes: int = 8_000_000
    #: Bytes of robots.txt read at most (Google reads 500 KiB).
    max_robots_bytes: int = 500_000
    #: Retries and backoff.
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: Where a site owner can learn about the crawler, shown in the User-Agent.
    contact_url: str = "https://github.com/sveden"
    #: Extra trusted CA certificates (PEM), added to the system ones, e.g. the Russian national
    #: CA («Минцифры»), whose certificates many public sites use. Verification is never turned off.
    extra_ca_bundle: Path | None = None
    #: Permit private, loopback (all of 127.0.0.0/8) and link-local targets.
    allow_private: bool = False
    #: Non-public networks permitted anyway (CIDR, e.g. an intranet's ``10.20.0.0/16``); every
    #: other non-public address stays refused, the metadata address 169.254.169.254 included.
    allowed_networks: tuple[str, ...] = ()

    @property
    def user_agent(self) -> str:
        """The honest User-Agent header, with the contact address."""
        return DEFAULT_USER_AGENT.format(contact=self.contact_url)
