"""Decompression bombs: stopped within 10% of the decompressed cap, memory near the cap."""

from __future__ import annotations

import gzip
import socket
import tracemalloc
import zlib
from collections.abc import Callable

import brotli
import pytest
import zstandard

from newsarchive.errors import DecodingError, TooLargeError
from newsarchive.fetch.decoding import MAX_ENCODINGS, BoundedDecoder
from tests.fetch.helpers import fetch_settings, fetch_with, run
from tests.hostile.rawserver import head, raw_server

CAP = 2 * 1024 * 1024
BOMB_SIZE = 64 * 1024 * 1024  # what the bomb would become: 32x the cap

Compress = Callable[[bytes], bytes]
ENCODINGS: dict[str, Compress] = {
    "gzip": lambda b: gzip.compress(b, 9),
    "deflate": lambda b: zlib.compress(b, 9),
    "br": lambda b: brotli.compress(b, quality=5),
    "zstd": lambda b: zstandard.ZstdCompressor(level=3).compress(b),
}
_cache: dict[str, bytes] = {}


def bomb(encoding: str) -> bytes:
    """``encoding`` may be a stack, "gzip, br" = gzip applied first, then br."""
    if encoding not in _cache:
        data = b"\0" * BOMB_SIZE
        for coding in (c.strip() for c in encoding.split(",")):
            data = ENCODINGS[coding](data)
        _cache[encoding] = data
    return _cache[encoding]


STACKS = ["gzip", "deflate", "br", "zstd", "gzip, br", "br, zstd, gzip", "deflate, gzip"]


@pytest.mark.parametrize("encoding", STACKS)
def test_bomb_is_stopped_within_ten_percent_of_the_cap(encoding: str) -> None:
    data = bomb(encoding)
    assert len(data) < CAP / 4  # a real bomb: small on the wire
    tracemalloc.start()
    decoder = BoundedDecoder(encoding, CAP)
    with pytest.raises(TooLargeError, match="once decompressed"):
        for i in range(0, len(data), 16 * 1024):
            decoder.feed(data[i : i + 16 * 1024])
        decoder.finish()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert CAP < decoder.size <= CAP * 1.10
    assert peak < CAP * 3, f"peak memory {peak:,} bytes for a cap of {CAP:,}"


@pytest.mark.parametrize("encoding", STACKS + ["x-gzip", "identity", ""])
def test_honest_bodies_round_trip(encoding: str) -> None:
    page = b"<p>" + b"news of the day " * 50_000 + b"</p>"
    data = page
    for coding in (c.strip() for c in encoding.split(",") if c.strip()):
        data = ENCODINGS.get(coding, ENCODINGS["gzip"])(data) if coding != "identity" else data
    decoder = BoundedDecoder(encoding, CAP)
    out = b"".join(decoder.feed(data[i : i + 1000]) for i in range(0, len(data), 1000))
    assert out + decoder.finish() == page


def test_raw_deflate_and_concatenated_gzip_are_understood() -> None:
    raw = zlib.compressobj(wbits=-15)
    data = raw.compress(b"raw deflate body") + raw.flush()
    decoder = BoundedDecoder("deflate", CAP)
    assert decoder.feed(data) + decoder.finish() == b"raw deflate body"
    decoder = BoundedDecoder("gzip", CAP)
    assert decoder.feed(gzip.compress(b"one ") + gzip.compress(b"two")) == b"one two"


def test_more_than_five_encodings_are_refused() -> None:
    with pytest.raises(DecodingError, match="stacked"):
        BoundedDecoder(", ".join(["gzip"] * (MAX_ENCODINGS + 1)), CAP)
    BoundedDecoder(", ".join(["gzip"] * MAX_ENCODINGS), CAP)


def test_unknown_and_corrupt_encodings_are_errors() -> None:
    with pytest.raises(DecodingError, match="unsupported"):
        BoundedDecoder("compress", CAP)
    with pytest.raises(DecodingError, match="invalid gzip"):
        BoundedDecoder("gzip", CAP).feed(b"\x1f\x8bnot really gzip at all")
    with pytest.raises(DecodingError, match="invalid br"):
        BoundedDecoder("br", CAP).feed(b"\xff" * 64)


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd", "gzip, br"])
def test_bomb_served_over_http_is_refused(encoding: str) -> None:
    data = bomb(encoding)

    def serve(conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="text/html", Content_Encoding=encoding,
                          Content_Length=str(len(data))) + data)

    with raw_server(serve) as server:
        with pytest.raises(TooLargeError, match="once decompressed"):
            run(fetch_with(fetch_settings(max_page_bytes=CAP), server.url("/bomb")))


def test_six_encodings_over_http_are_refused() -> None:
    data = b"<p>hi</p>"
    for _ in range(6):
        data = gzip.compress(data)

    def serve(conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="text/html", Content_Encoding=", ".join(["gzip"] * 6),
                          Content_Length=str(len(data))) + data)

    with raw_server(serve) as server:
        with pytest.raises(DecodingError):
            run(fetch_with(fetch_settings(), server.url("/stacked")))


def test_gzip_page_over_http_is_decoded() -> None:
    page = b"<html><body><p>ok</p></body></html>"

    def serve(conn: socket.socket) -> None:
        body = brotli.compress(gzip.compress(page))
        conn.sendall(head(Content_Type="text/html", Content_Encoding="gzip, br",
                          Content_Length=str(len(body))) + body)

    with raw_server(serve) as server:
        assert run(fetch_with(fetch_settings(), server.url("/ok"))).body == page
