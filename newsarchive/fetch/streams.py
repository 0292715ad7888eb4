"""The network stream httpcore reads and writes, with its socket facts looked up once.

httpcore asks a pooled connection's stream whether its socket is readable (a closed
keep-alive connection) each time it assigns a request to a connection, for every idle
connection of the pool: ~44 times a page in the crawl bench (16 requests in flight, 8
connections a client). anyio answers each ask by building the mapping of all of the
socket's typed attributes (address family, peer and local address: system calls included)
to return one of them. The socket, its addresses and its TLS object do not change for
the stream's life, so they are read once here and the rest is delegated as is.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpcore
from httpcore._utils import is_socket_readable

#: the facts httpcore and the fetcher ask a stream for (``AsyncNetworkStream.get_extra_info``)
FIXED_INFO = ("ssl_object", "client_addr", "server_addr", "socket")


class FixedInfoStream(httpcore.AsyncNetworkStream):
    """``inner`` with ``get_extra_info`` answered from what it said the first time."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self.inner = inner
        self._info = {name: inner.get_extra_info(name) for name in FIXED_INFO}

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return FixedInfoStream(await self.inner.start_tls(ssl_context, server_hostname,
                                                          timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # a socket gone reads as readable (at its end), as before
            return is_socket_readable(self._info["socket"])
        if info in self._info:
            return self._info[info]
        return self.inner.get_extra_info(info)
