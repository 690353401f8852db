"""Safe egress for webhooks: which URLs may be called, and connecting only to a checked address.

A URL is checked when a subscription is created and again at every connection: the host is
resolved, every address must be public (not loopback, private, link-local, metadata, multicast or
reserved), and the request goes to the checked address itself (the name is kept for `Host` and TLS
SNI/certificate checks), so a DNS answer that changes between check and connect (rebinding)
cannot reach an internal address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.errors import DomainError
from core.stash import StashKey

#: Names refused whatever they resolve to.
BLOCKED_NAMES = {"localhost", "metadata.google.internal", "metadata", "instance-data"}

Resolver = Callable[[str, int], Awaitable[list[str]]]
#: A resolver replacing the system's (tests answer names themselves).
RESOLVER_KEY = StashKey[Resolver]()


async def system_resolve(host: str, port: int) -> list[str]:
    """The addresses of `host` from the system resolver."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refused(detail: str) -> DomainError:
    """The typed error for a URL that may not be called."""
    return DomainError("URL_NOT_ALLOWED", field="input.url", detail=detail)


def address_allowed(address: str) -> bool:
    """True for a public unicast address (an IPv4-mapped IPv6 address is judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect, and the name to present."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


def parse(url: str, *, allow_private: bool) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL, else `URL_NOT_ALLOWED`."""
    if not isinstance(url, str) or len(url) > 2000:
        raise refused("too long")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme != "https" and not (allow_private and scheme == "http"):
        raise refused("https is required")
    if parts.username or parts.password:
        raise refused("credentials in the URL are not allowed")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise refused("no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise refused("bad port") from None
    if not allow_private and (host in BLOCKED_NAMES or host.endswith((".localhost", ".internal"))):
        raise refused("internal host name")
    return scheme, host, port


async def check(url: str, *, allow_private: bool, resolve: Resolver = system_resolve) -> Target:
    """Resolve and check `url`; the returned target names the address to connect to."""
    scheme, host, port = parse(url, allow_private=allow_private)
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        try:
            addresses = await resolve(host, port)
        except OSError:
            raise refused("the host name does not resolve") from None
    if not addresses:
        raise refused("the host name does not resolve")
    if not allow_private and not all(address_allowed(a) for a in addresses):
        raise refused("private, loopback, link-local and metadata addresses are not allowed")
    return Target(url.strip(), scheme, host, port, addresses[0])
