"""FixedInfoStream: httpcore's questions about a stream answered from one look, the rest
delegated."""

from __future__ import annotations

import asyncio
import socket
import ssl
from typing import Any

import httpcore

from newsarchive.fetch.streams import FixedInfoStream


class Inner(httpcore.AsyncNetworkStream):
    """A stream over one end of a socket pair that counts the facts asked of it."""

    def __init__(self, sock: socket.socket | None) -> None:
        self.sock = sock
        self.asked: list[str] = []
        self.closed = False

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return b"read"

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.written = buffer

    async def aclose(self) -> None:
        self.closed = True

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return Inner(self.sock)

    def get_extra_info(self, info: str) -> Any:
        self.asked.append(info)
        return {"socket": self.sock, "server_addr": ("192.0.2.1", 80)}.get(info)


def test_facts_are_read_once_and_readability_is_asked_of_the_socket() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        inner = Inner(ours)
        stream = FixedInfoStream(inner)
        asked = len(inner.asked)
        assert stream.get_extra_info("is_readable") is False  # a live idle connection
        theirs.sendall(b"x")  # the server wrote (or closed): the connection is expired
        assert stream.get_extra_info("is_readable") is True
        for _ in range(3):
            assert stream.get_extra_info("server_addr") == ("192.0.2.1", 80)
            assert stream.get_extra_info("socket") is ours
        assert len(inner.asked) == asked  # nothing asked again
        assert stream.get_extra_info("other") is None
        assert inner.asked[-1] == "other"  # an unknown fact is the inner stream's to answer


def test_a_stream_without_a_socket_reads_as_expired() -> None:
    assert FixedInfoStream(Inner(None)).get_extra_info("is_readable") is True


def test_io_and_tls_are_delegated() -> None:
    inner = Inner(None)
    stream = FixedInfoStream(inner)

    async def use() -> None:
        assert await stream.read(10) == b"read"
        await stream.write(b"GET")
        assert inner.written == b"GET"
        upgraded = await stream.start_tls(ssl.create_default_context(), "example.com")
        assert isinstance(upgraded, FixedInfoStream)
        await stream.aclose()

    asyncio.run(use())
    assert inner.closed
