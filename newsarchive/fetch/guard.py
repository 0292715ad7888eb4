"""The SSRF guard: which addresses may be dialled, checked when the socket connects.

The check runs inside httpcore's network backend, on the address that is then
dialled, so DNS rebinding (a name that resolves public once, private the next
time) cannot slip between a check and the connection, and every redirect hop
goes through it because every hop opens its connection here.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
from httpcore._backends.auto import AutoBackend

from newsarchive.errors import NetworkError, PrivateAddressError
from newsarchive.fetch.streams import FixedInfoStream

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: the setting that lifts the refusal, named in every refusal
ALLOW_SETTING = "NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class AddressPolicy:
    """Decides whether an IP address may be fetched."""

    def __init__(self, *, allow_private: bool = False, allowlist: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allowlist = [ipaddress.ip_network(cidr, strict=False) for cidr in allowlist]

    def is_allowed(self, address: str | IPAddress) -> bool:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
        if self.allow_private:
            return True
        if any(ip in net for net in self.allowlist if net.version == ip.version):
            return True
        return _is_public(ip)

    def check(self, host: str, address: str) -> None:
        """PrivateAddressError, saying it is this policy and what changes it (a frontier
        row, a crawl report or a 422 shows it as is: it must not read as a failing site)."""
        if not self.is_allowed(address):
            of_host = "" if host.strip("[]") == address else f" (the address of {host})"
            raise PrivateAddressError(
                f"refused: private address {address}{of_host}; "
                f"set {ALLOW_SETTING}=true to fetch it",
            )


def _is_public(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return _is_public(ip.ipv4_mapped)
        if ip in _NAT64 or ip in _NAT64_LOCAL:
            return _is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None:
            return _is_public(ip.sixtofour)
        if ip.teredo is not None:
            return _is_public(ip.teredo[1])
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return False
    return ip.is_global


async def resolve(host: str, port: int) -> list[str]:
    """All addresses of ``host`` (an IP literal resolves to itself)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )
    except socket.gaierror as exc:
        raise NetworkError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
    except UnicodeError as exc:  # the idna codec: a label empty or over 63 characters
        raise NetworkError(f"cannot resolve {host[:100]}: not a valid host name") from exc
    seen: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        addr = str(sockaddr[0]).split("%", 1)[0]
        if addr not in seen:
            seen.append(addr)
    return seen


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, and dials only an address that passed."""

    def __init__(self, policy: AddressPolicy, resolver: Any = None) -> None:
        self.policy = policy
        self.resolver = resolver or resolve
        self.inner = AutoBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.resolver(host, port)
        if not addresses:
            raise NetworkError(f"cannot resolve {host}")
        allowed = [a for a in addresses if self.policy.is_allowed(a)]
        if not allowed:
            self.policy.check(host, addresses[0])
        last_exc: Exception | None = None
        for address in allowed:
            try:
                return FixedInfoStream(await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                ))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_exc = exc
        assert last_exc is not None
        raise last_exc

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise PrivateAddressError("refused: unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
