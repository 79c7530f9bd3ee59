"""robots.txt rules of one host, parsed with Protego, and what a robots.txt answer means.

A robots.txt that fails to load is handled as Google documents for its crawler: redirects are
followed (the fetcher does that); 4xx other than 429 means there are no rules, so everything is
allowed; 429, 5xx and an unreachable server mean "do not crawl for now", so everything is
disallowed and the site is reported as blocked by robots.txt.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

from crawler.faults import FetchError
from crawler.settings import ROBOTS_TOKEN

__all__ = ["ALLOW_ALL", "RobotsRules", "robots_rules"]


@dataclass(frozen=True)
class RobotsRules:
    """What a host's robots.txt lets the crawler fetch, and why (`note`, for the trace)."""

    note: str
    parser: Protego | None = None
    disallow_all: bool = False
    #: Why robots.txt could not be fetched at all, if so (the host is then unreachable).
    failure: FetchError | None = None

    def allows(self, url: str) -> bool:
        """Whether `url` may be fetched."""
        if self.disallow_all:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, ROBOTS_TOKEN))

    def crawl_delay(self) -> float | None:
        """The ``Crawl-delay`` for our token (or ``*``), in seconds, if any."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(ROBOTS_TOKEN)
        return float(delay) if delay is not None else None


ALLOW_ALL = RobotsRules(note="robots.txt not consulted")


def robots_rules(status: int | None, body: bytes, failure: FetchError | None = None) -> RobotsRules:
    """The rules for a robots.txt answer: `status` and `body`, or the `failure` of the fetch."""
    if failure is not None or status is None:
        return RobotsRules(
            note=f"robots.txt unreachable ({failure.fault if failure else 'no answer'}): nothing fetched",
            disallow_all=True,
            failure=failure,
        )
    if status == 429 or status >= 500:
        return RobotsRules(note=f"robots.txt answered {status}: nothing fetched for now", disallow_all=True)
    if not 200 <= status < 300:
        return RobotsRules(note=f"robots.txt answered {status}: no rules, everything allowed")
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
    return RobotsRules(note=f"robots.txt answered {status}: rules applied", parser=Protego.parse(text))
