"""crawler: fetches schools' sites politely into snapshots; never judges compliance."""

from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget, crawl_site, crawl_sites
from crawler.snapshot import SiteSnapshot

__all__ = ["CrawlSettings", "SiteSnapshot", "SiteTarget", "crawl_site", "crawl_sites"]
