"""Refuse to fetch private, loopback, link-local and metadata addresses unless allowed.

School addresses come from a registry that anyone may edit, and sites redirect; a crawler
running in CI must not be steered at the runner's own network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

__all__ = ["PrivateAddressError", "ensure_public"]


class PrivateAddressError(Exception):
    """The target resolves to an address that is not public."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


async def ensure_public(url: str, allow_private: bool) -> None:
    """Raise `PrivateAddressError` unless `url`'s host resolves only to public addresses."""
    host = urlsplit(url).hostname
    if host is None:
        raise PrivateAddressError(f"{url}: no host")
    if allow_private:
        return
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError:
            return  # the fetch itself reports the DNS failure
        addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        if not _is_public(address):
            raise PrivateAddressError(f"{host} resolves to non-public address {address}")
