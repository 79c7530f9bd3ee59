"""Every crawler knob in one place, each with its documented default."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

__all__ = ["DEFAULT_USER_AGENT", "CrawlSettings"]

DEFAULT_USER_AGENT = "sveden/0.1 (audit of school sites under Rosobrnadzor order 1493; +{contact})"


@dataclass(frozen=True)
class CrawlSettings:
    """How the crawler behaves; one frozen value passed to everything that fetches.

    Usage::

        settings = CrawlSettings(per_host_delay=1.0, allow_private=False)
    """

    #: Sites crawled at once (each site is one host; hosts are independent).
    concurrent_sites: int = 64
    #: Connections open to one host at once (DESIGN.md: at most 2).
    per_host_connections: int = 2
    #: Seconds between two requests to one host; each wait is jittered by ±50 %.
    per_host_delay: float = 0.25
    #: Timeouts per phase, in seconds.
    timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(10.0, connect=5.0))
    #: Wall-clock budget for one whole site, in seconds.
    site_budget: float = 180.0
    #: Pages fetched per site at most (section index, subsections and their addRef pages).
    max_pages_per_site: int = 80
    #: Documents probed per site at most.
    max_documents_per_site: int = 150
    #: addRef pages followed per subsection (MR v9: «не более 10»).
    max_add_refs: int = 10
    #: Redirects followed per request.
    max_redirects: int = 5
    #: Bytes read from one response at most.
    max_body_bytes: int = 5_000_000
    #: Where a site owner can learn about the crawler, shown in the User-Agent.
    contact_url: str = "https://github.com/sveden"
    #: Permit private, loopback (all of 127.0.0.0/8) and link-local targets.
    allow_private: bool = False

    @property
    def user_agent(self) -> str:
        """The honest User-Agent header, with the contact address."""
        return DEFAULT_USER_AGENT.format(contact=self.contact_url)
