"""Why a fetch failed: one exception hierarchy, each class naming its `Fault` for the snapshot.

::

    FetchError
    ├── NetworkError
    │   ├── DnsError            name does not resolve
    │   ├── RefusedConnectionError     nothing listens
    │   ├── ConnectTimeoutError        no connection (or TLS handshake) in time
    │   ├── ReadTimeoutError           the server went silent mid-answer
    │   ├── TotalTimeoutError          the whole request took too long (a dripping server)
    │   ├── DroppedConnectionError       the server dropped the connection
    │   ├── TlsError              certificate not trusted, expired, wrong name, bad handshake
    │   └── ProtocolError         not a valid HTTP answer
    ├── RedirectError
    │   ├── TooManyRedirectsError
    │   └── RedirectLoopError
    └── RefusedError                   the crawler would not ask
        ├── PrivateAddressError   private, loopback, link-local or metadata address
        ├── NonHttpSchemeError         ftp:, file:, javascript: …
        └── BlockedByRobotsError       robots.txt disallows it (or could not be read: 5xx)

A failed fetch is data: the fetcher catches these and records ``fault`` and ``error`` in the
snapshot, so no site's fault ends the crawl.
"""

from __future__ import annotations

import socket
import ssl
from typing import ClassVar, Literal

__all__ = [
    "BlockedByRobotsError",
    "ConnectTimeoutError",
    "DnsError",
    "DroppedConnectionError",
    "Fault",
    "FetchError",
    "NetworkError",
    "NonHttpSchemeError",
    "PrivateAddressError",
    "ProtocolError",
    "ReadTimeoutError",
    "RedirectError",
    "RedirectLoopError",
    "RefusedConnectionError",
    "RefusedError",
    "TlsError",
    "TooManyRedirectsError",
    "TotalTimeoutError",
    "classify",
]

Fault = Literal[
    "dns_failure",
    "connection_refused",
    "connect_timeout",
    "read_timeout",
    "total_timeout",
    "connection_reset",
    "tls_error",
    "protocol_error",
    "too_many_redirects",
    "redirect_loop",
    "non_http_scheme",
    "refused_private_address",
    "blocked_by_robots",
    "not_html",
    "soft_404",
]


class FetchError(Exception):
    """A request that produced no usable answer; `fault` is its machine-readable name."""

    fault: ClassVar[Fault]


class NetworkError(FetchError):
    """The network or the server failed."""


class DnsError(NetworkError):
    fault = "dns_failure"


class RefusedConnectionError(NetworkError):
    fault = "connection_refused"


class ConnectTimeoutError(NetworkError):
    fault = "connect_timeout"


class ReadTimeoutError(NetworkError):
    fault = "read_timeout"


class TotalTimeoutError(NetworkError):
    fault = "total_timeout"


class DroppedConnectionError(NetworkError):
    fault = "connection_reset"


class TlsError(NetworkError):
    fault = "tls_error"


class ProtocolError(NetworkError):
    fault = "protocol_error"


class RedirectError(FetchError):
    """Redirects that lead nowhere."""


class TooManyRedirectsError(RedirectError):
    fault = "too_many_redirects"


class RedirectLoopError(RedirectError):
    fault = "redirect_loop"


class RefusedError(FetchError):
    """The crawler refuses to send the request."""


class PrivateAddressError(RefusedError):
    fault = "refused_private_address"


class NonHttpSchemeError(RefusedError):
    fault = "non_http_scheme"


class BlockedByRobotsError(RefusedError):
    fault = "blocked_by_robots"


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def classify(exc: BaseException) -> FetchError:
    """The `FetchError` for an exception raised while fetching (itself if it is one)."""
    if isinstance(exc, FetchError):
        return exc
    chain = _causes(exc)
    detail = str(exc) or type(exc).__name__
    if any(isinstance(cause, ssl.SSLError | ssl.CertificateError) for cause in chain):
        return TlsError(detail)
    if any(isinstance(cause, socket.gaierror) for cause in chain):
        return DnsError(detail)
    if isinstance(exc, TimeoutError):
        return ReadTimeoutError(detail)
    if any(isinstance(cause, ConnectionRefusedError) for cause in chain):
        return RefusedConnectionError(detail)
    return DroppedConnectionError(detail)
