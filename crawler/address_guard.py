"""Which addresses the crawler refuses: private, loopback, link-local, metadata, multicast.

School addresses come from a registry that anyone may edit, and sites redirect; a crawler
running in CI must not be steered at the runner's own network or a cloud metadata service
(169.254.169.254). `crawler.connector` applies this to every address a name resolves to.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

__all__ = ["AddressPolicy", "non_public_address"]


def non_public_address(address: str) -> bool:
    """Whether `address` (an IP literal, IPv6 zone allowed) is anything but a public unicast one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


class AddressPolicy:
    """Which resolved addresses a connection may go to.

    Usage::

        policy = AddressPolicy(allow_private=False, allowed_networks=["10.20.0.0/16"])
        policy.refuses("169.254.169.254")  # True
    """

    def __init__(self, allow_private: bool, allowed_networks: Iterable[str] = ()) -> None:
        self._allow_private = allow_private
        self._allowed = tuple(ipaddress.ip_network(network, strict=False) for network in allowed_networks)

    def refuses(self, address: str) -> bool:
        """Whether the crawler must not connect to `address`."""
        if self._allow_private or not non_public_address(address):
            return False
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return not any(ip in network for network in self._allowed)
