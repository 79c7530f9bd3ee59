"""Sockets for the crawler's connections, refused for addresses the `AddressPolicy` forbids.

aiohttp asks this factory for a socket right before it connects, with the address it is about
to connect to: the one a name resolved to, or an IP literal. Checking there covers redirects
to another host and a name that resolves differently the second time (DNS rebinding): the
socket connects to the very address that was checked, while TLS still verifies the
certificate against the host name.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from crawler.address_guard import AddressPolicy
from crawler.faults import PrivateAddressError

__all__ = ["SocketFactory", "guarded_socket_factory"]

SocketFactory = Callable[[tuple[Any, ...]], socket.socket]


def guarded_socket_factory(policy: AddressPolicy) -> SocketFactory:
    """A socket factory for `aiohttp.TCPConnector` that raises `PrivateAddressError` first."""

    def new_socket(address_info: tuple[Any, ...]) -> socket.socket:
        family, kind, protocol, _, address = address_info
        if policy.refuses(str(address[0])):
            raise PrivateAddressError(f"refusing non-public address {address[0]}")
        return socket.socket(family, kind, protocol)

    return new_socket
