"""Probe a site's two schemes: where its http:// address leads and whether https:// answers.

The home page fetch already tells one side: a home page at an http:// address that ends on
https:// is the redirect itself, and a home page that ends on https:// is the HTTPS answer.
Only the other side is fetched here, at the host's default port.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from crawler.fetcher import Fetcher
from crawler.snapshot import HttpsProbe, PageSnapshot

__all__ = ["probe_https"]


def _root(scheme: str, url: str, port: int | None) -> str:
    host = urlsplit(url).hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    return urlunsplit((scheme, f"{netloc}:{port}" if port else netloc, "/", "", ""))


async def probe_https(fetcher: Fetcher, home: PageSnapshot, https_port: int | None = None) -> HttpsProbe:
    """Both schemes of the site whose home page is `home` (`https_port`: a non-default HTTPS port)."""
    if urlsplit(home.url).scheme == "http":
        http = home
    else:
        http = await fetcher.fetch_page(_root("http", home.url, None))
    if urlsplit(home.final_url).scheme == "https":
        https = home
    elif urlsplit(http.final_url).scheme == "https":
        https = http
    else:
        https = await fetcher.fetch_page(_root("https", home.final_url, https_port))
    return HttpsProbe(
        http_url=http.url,
        http_final_url=http.final_url,
        http_status=http.status,
        http_error=http.error,
        https_url=https.url,
        https_status=https.status,
        https_error=https.error,
    )
