"""What the crawler hands on: everything fetched from one school's site, and how it was found.

A snapshot holds facts only (status codes, bodies, where each subsection was found); it never
judges compliance. Checks read snapshots and nothing else, so a re-check never re-fetches.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

from crawler.faults import Fault

__all__ = [
    "Body",
    "DocumentProbe",
    "FoodFile",
    "FoodSnapshot",
    "FoundBy",
    "HttpsProbe",
    "PageSnapshot",
    "Reachability",
    "SectionSnapshot",
    "SiteSnapshot",
    "SiteSummary",
    "SubsectionSnapshot",
]

FoundBy = Literal["standard_path", "link_text", "slug_dictionary", "add_ref", "none"]
Reachability = Literal[
    "ok",
    "unreachable",
    "tls_error",
    "blocked_by_robots",
    "refused_private_address",
    "no_url",
    "no_section",
]

#: A page body: its text, or that text's UTF-8 encoding. Strict, so that neither is ever
#: converted into the other to fit (bytes are kept as they came; JSON gives text).
Body = Annotated[str, Strict()] | Annotated[bytes, Strict()]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PageSnapshot(_Frozen):
    """One fetched page: requested and final address, status, body.

    ``body`` is the page's text, or that text's UTF-8 bytes (a page received in UTF-8 is kept
    as received, and stored and parsed as it is); ``text`` is the text either way.
    ``fault`` names why a fetch gave no usable page (`crawler.faults`); ``error`` says it in
    words. ``not_modified``: the server answered 304 to the stored validators and the stored
    body was reused. ``truncated``: the body was cut at the size cap. ``sha256`` is the digest
    of the body as received; ``body_sha256``, when the fetcher knows it without hashing again,
    that of the text in UTF-8 (the snapshot store's key for it; not kept with the snapshot).
    """

    url: str
    final_url: str
    status: int
    content_type: str | None = None
    sniffed_type: str | None = None
    encoding: str | None = None
    elapsed_ms: float = 0.0
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    truncated: bool = False
    redirect_chain: tuple[str, ...] = ()
    body: Body = ""
    body_sha256: str | None = Field(default=None, exclude=True)
    fault: Fault | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Fetched with a 2xx answer."""
        return self.error is None and 200 <= self.status < 300

    @property
    def text(self) -> str:
        """The page's text (decoded on each call when the body is held as UTF-8)."""
        body = self.body
        return body.decode("utf-8", "surrogatepass") if isinstance(body, bytes) else body


class DocumentProbe(_Frozen):
    """What a linked document answered (HEAD, or GET when HEAD is refused)."""

    url: str
    #: Where the document was after redirects (a login wall or a cloud-drive page shows here).
    final_url: str | None = None
    status: int
    content_type: str | None = None
    sniffed_type: str | None = None
    size: int | None = None
    fault: Fault | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """The document answered 2xx."""
        return self.error is None and 200 <= self.status < 300


class SubsectionSnapshot(_Frozen):
    """One subsection: where it was found and its pages (main page first, then addRef pages)."""

    key: str
    url: str
    found_by: FoundBy
    pages: tuple[PageSnapshot, ...]


class SectionSnapshot(_Frozen):
    """The special section's index page and how it was found."""

    url: str
    found_by: FoundBy
    page: PageSnapshot
    linked_from_home: bool
    linked_from_menu: bool


class FoodFile(_Frozen):
    """One file fetched from the `/food/` folder (its body is not kept)."""

    name: str
    url: str
    status: int
    size: int | None = None
    last_modified: str | None = None
    content_type: str | None = None
    valid_xlsx: bool = False
    listed: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        """The file answered 2xx."""
        return self.error is None and 200 <= self.status < 300


class FoodSnapshot(_Frozen):
    """The `/food/` folder of the site root: its index (listing) and the files fetched from it."""

    url: str
    status: int
    error: str | None = None
    listed_names: tuple[str, ...] = ()
    files: tuple[FoodFile, ...] = ()

    def file(self, name: str) -> FoodFile | None:
        """The fetched file called `name`, if it was fetched."""
        return next((found for found in self.files if found.name == name), None)


class HttpsProbe(_Frozen):
    """Where the site's http:// address leads and whether its https:// address answers."""

    http_url: str
    http_final_url: str
    http_status: int
    http_error: str | None = None
    https_url: str
    https_status: int
    https_error: str | None = None


class SiteSnapshot(_Frozen):
    """Everything the crawler learnt about one school's site in one run."""

    school_id: str
    url: str | None
    fetched_at: str
    reachability: Reachability
    reachability_detail: str = ""
    home: PageSnapshot | None = None
    section: SectionSnapshot | None = None
    subsections: tuple[SubsectionSnapshot, ...] = ()
    documents: tuple[DocumentProbe, ...] = ()
    food: FoodSnapshot | None = None
    https: HttpsProbe | None = None
    discovery_trace: tuple[str, ...] = ()

    def subsection(self, key: str) -> SubsectionSnapshot | None:
        """The subsection with `key`, if it was found."""
        return next((sub for sub in self.subsections if sub.key == key), None)

    def document(self, url: str) -> DocumentProbe | None:
        """The probe of the document at `url`, if it was probed."""
        return next((doc for doc in self.documents if doc.url == url), None)


class SiteSummary(_Frozen):
    """The few figures of a crawled site that progress and summaries need (small to send)."""

    school_id: str
    reachability: Reachability
    pages: int
    not_modified: int
    documents: int
    faults: tuple[str, ...]

    @classmethod
    def of(cls, snapshot: SiteSnapshot) -> SiteSummary:
        """Summarise a snapshot."""
        section = snapshot.section.page if snapshot.section else None
        pages = [page for page in (snapshot.home, section) if page is not None]
        pages.extend(page for sub in snapshot.subsections for page in sub.pages)
        faults = [page.fault for page in pages if page.fault]
        faults.extend(doc.fault for doc in snapshot.documents if doc.fault)
        return cls(
            school_id=snapshot.school_id,
            reachability=snapshot.reachability,
            pages=len(pages),
            not_modified=sum(page.not_modified for page in pages),
            documents=len(snapshot.documents),
            faults=tuple(faults),
        )
