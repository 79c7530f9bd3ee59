"""What a linked document is (PDF, Word, scan, archive, cloud-drive page …) and what is wrong with it.

Pure functions of a `DocumentProbe`: the type comes from the answer's ``Content-Type`` and,
when a server says nothing useful (``application/octet-stream``), from the file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from crawler.snapshot import DocumentProbe

__all__ = ["DocumentKind", "DocumentVerdict", "judge_document"]

DocumentKind = Literal[
    "pdf", "word", "spreadsheet", "image", "archive", "cloud_drive", "html_page", "other", "unknown"
]

_CLOUD_HOSTS = (
    "drive.google.com",
    "docs.google.com",
    "disk.yandex.ru",
    "disk.yandex.com",
    "yadi.sk",
    "cloud.mail.ru",
)
_LOGIN_MARKERS = ("login", "signin", "sign-in", "auth", "passport", "wp-login", "user/login")
_BY_TYPE: tuple[tuple[str, DocumentKind], ...] = (
    ("application/pdf", "pdf"),
    ("msword", "word"),
    ("wordprocessingml", "word"),
    ("opendocument.text", "word"),
    ("rtf", "word"),
    ("ms-excel", "spreadsheet"),
    ("spreadsheetml", "spreadsheet"),
    ("opendocument.spreadsheet", "spreadsheet"),
    ("image/", "image"),
    ("zip", "archive"),
    ("rar", "archive"),
    ("7z", "archive"),
    ("text/html", "html_page"),
    ("application/xhtml", "html_page"),
)
_BY_SUFFIX: dict[str, DocumentKind] = {
    "pdf": "pdf",
    "doc": "word",
    "docx": "word",
    "odt": "word",
    "rtf": "word",
    "xls": "spreadsheet",
    "xlsx": "spreadsheet",
    "ods": "spreadsheet",
    "jpg": "image",
    "jpeg": "image",
    "png": "image",
    "gif": "image",
    "tif": "image",
    "tiff": "image",
    "zip": "archive",
    "rar": "archive",
    "7z": "archive",
}
_KIND_NAMES: dict[DocumentKind, str] = {
    "pdf": "PDF",
    "word": "документ Word/ODT",
    "spreadsheet": "таблица",
    "image": "изображение (скан)",
    "archive": "архив",
    "cloud_drive": "страница облачного диска",
    "html_page": "веб-страница",
    "other": "файл",
    "unknown": "тип не определён",
}


@dataclass(frozen=True)
class DocumentVerdict:
    """A document's type and size in words, and the problem a webmaster must fix (None: fine)."""

    kind: DocumentKind
    description: str
    problem: str | None


def judge_document(probe: DocumentProbe, expect_document: bool) -> DocumentVerdict:
    """Type, size and problem of a linked document; `expect_document` for ``*DocLink`` items."""
    kind = _kind(probe)
    description = _KIND_NAMES[kind] + (f", {_size(probe.size)}" if probe.size else "")
    return DocumentVerdict(kind=kind, description=description, problem=_problem(probe, kind, expect_document))


def _kind(probe: DocumentProbe) -> DocumentKind:
    address = probe.final_url or probe.url
    if (urlsplit(address).hostname or "").removeprefix("www.") in _CLOUD_HOSTS:
        return "cloud_drive"
    content_type = (probe.content_type or "").lower()
    for marker, kind in _BY_TYPE:
        if marker in content_type:
            return kind
    suffix = unquote(urlsplit(address).path).rsplit(".", 1)[-1].lower()
    return _BY_SUFFIX.get(suffix, "other" if content_type else "unknown")


def _problem(probe: DocumentProbe, kind: DocumentKind, expect_document: bool) -> str | None:
    if probe.error is not None:
        return f"ссылка не открывается: {probe.error}"
    if probe.status in (401, 403) or _login_page(probe):
        return "документ закрыт: сайт требует входа или запрещает доступ"
    if not probe.ok:
        return f"ссылка не открывается: сервер ответил HTTP {probe.status}"
    if expect_document and kind == "html_page":
        return "ссылка ведёт на веб-страницу, а не на файл документа"
    return None


def _login_page(probe: DocumentProbe) -> bool:
    if probe.final_url is None or probe.final_url == probe.url:
        return False
    path = urlsplit(probe.final_url).path.lower()
    return any(marker in path for marker in _LOGIN_MARKERS)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} МБ".replace(".", ",")
    return f"{max(1, round(size / 1024))} КБ"
