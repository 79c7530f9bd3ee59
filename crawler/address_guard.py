"""Which addresses the crawler refuses: private, loopback, link-local, metadata, multicast.

School addresses come from a registry that anyone may edit, and sites redirect; a crawler
running in CI must not be steered at the runner's own network or a cloud metadata service
(169.254.169.254). `crawler.connector` applies this to every address a name resolves to.
"""

from __future__ import annotations

import ipaddress

__all__ = ["non_public_address"]


def non_public_address(address: str) -> bool:
    """Whether `address` (an IP literal, IPv6 zone allowed) is anything but a public unicast one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
