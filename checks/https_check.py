"""HTTPS: the site answers over HTTPS and its http:// address redirects there."""

from __future__ import annotations

from urllib.parse import urlsplit

from checks.results import ExtraCheck, Outcome
from crawler.snapshot import HttpsProbe

__all__ = ["HTTPS_LEGAL_REF", "HTTPS_TITLE", "check_https"]

HTTPS_TITLE = "HTTPS и перенаправление на него"
HTTPS_LEGAL_REF = (
    "Сложившаяся практика. Прямого требования HTTPS в приказе № 1493 и ПП РФ № 1802 нет; "
    "ПП РФ № 1802, п. 20(б) требует защищать информацию на сайте от изменения и блокирования, "
    "и HTTPS — обычный способ это обеспечить. Законное требование HTTPS не подтверждено."
)


def _failure(status: int, error: str | None) -> str:
    if error is None:
        return f"HTTP {status}"
    if error.startswith("tls_error"):
        return "сертификат не принят (ошибка TLS)"
    if error.startswith("timeout"):
        return "нет ответа"
    return "не отвечает"


def check_https(probe: HttpsProbe | None) -> ExtraCheck:
    """Pass: https:// answers and http:// leads to it; warn: HTTPS without the redirect; else fail."""

    def result(outcome: Outcome, detail: str) -> ExtraCheck:
        return ExtraCheck(
            outcome=outcome,
            basis="practice",
            title=HTTPS_TITLE,
            detail=detail,
            legal_ref=HTTPS_LEGAL_REF,
            url=probe.https_url if probe else None,
        )

    if probe is None:
        return result("not_checked", "в этом запуске адреса http:// и https:// не проверялись")
    https_ok = probe.https_error is None and 200 <= probe.https_status < 300
    if not https_ok:
        reason = _failure(probe.https_status, probe.https_error)
        return result("fail", f"сайт не открывается по HTTPS ({probe.https_url}: {reason})")
    if urlsplit(probe.http_final_url).scheme == "https":
        return result(
            "pass", f"сайт открывается по HTTPS; {probe.http_url} перенаправляет на {probe.http_final_url}"
        )
    if probe.http_error is not None:
        return result("pass", f"сайт открывается по HTTPS; по адресу {probe.http_url} сайт не отвечает")
    return result(
        "warn",
        f"сайт открывается по HTTPS, но {probe.http_url} открывается без шифрования и не перенаправляет "
        "на https:// — настройте перенаправление (HTTP 301) на https://",
    )
