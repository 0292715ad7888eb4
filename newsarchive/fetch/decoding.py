"""Bounded content decoding: a body is decompressed by us, never by httpx, so the byte cap
holds on the decompressed size however the server stacks its encodings.

httpx decodes ``Content-Encoding`` without a bound, so a 10 KB gzip bomb becomes gigabytes
in memory. ``BoundedDecoder`` decodes the raw bytes stage by stage, each stage asked for
at most ``chunk`` bytes of output per call (zlib ``max_length``, brotli
``output_buffer_limit``, zstd fed in slices small enough that one call cannot produce much),
and stops as soon as the total output passes the cap: a bomb is stopped within one chunk
of the cap, and memory stays near the cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import Protocol

import brotli
import zstandard

from newsarchive.errors import DecodingError, TooLargeError

#: more stacked encodings than this is a hostile server, not a real one (browsers stop at 5)
MAX_ENCODINGS = 5
#: a zstd block (<= 128 KiB of output) can be coded in 4 input bytes: the worst ratio per call
ZSTD_BLOCK = 128 * 1024
ZSTD_BLOCK_INPUT = 4
#: largest output asked of one decoder call; small enough to stop near the cap
MAX_CHUNK = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class _Stage(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Zlib:
    """gzip (several members allowed) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, encoding: str, chunk: int) -> None:
        self.chunk = chunk
        self.encoding = encoding
        self._raw_fallback = encoding == "deflate"
        self._started = False
        self._d = self._new()

    def _new(self) -> zlib._Decompress:
        return zlib.decompressobj(zlib.MAX_WBITS if self.encoding == "deflate" else 16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            if self._d.eof:
                data = self._d.unused_data + data
                if self.encoding == "deflate" or not data.startswith(GZIP_MAGIC):
                    return  # trailing bytes after the stream are ignored, as browsers do
                self._d = self._new()
            try:
                out = self._d.decompress(data, self.chunk)
            except zlib.error as exc:
                if self._raw_fallback and not self._started:
                    self._raw_fallback = False
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise DecodingError(f"invalid {self.encoding} data: {exc}") from exc
            self._started = True
            data = self._d.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < self.chunk and not self._d.unused_data:
                return

    def finish(self) -> Iterator[bytes]:
        return iter(())  # a truncated stream keeps what was decoded, as browsers do


class _Brotli:
    def __init__(self, chunk: int) -> None:
        self.chunk = chunk
        self._d = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        # The limit stops the output buffer growing; what is left comes out of later calls
        # with empty input, which also return b"" once nothing is pending.
        try:
            out = self._d.process(data, output_buffer_limit=self.chunk)
            while out:
                yield out
                if self._d.is_finished():
                    return
                out = self._d.process(b"", output_buffer_limit=self.chunk)
        except brotli.error as exc:
            raise DecodingError(f"invalid br data: {exc}") from exc

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Zstd:
    """zstandard has no output bound per call, so input goes in slices whose worst-case
    output (one 128 KiB block per 4 bytes) stays under the chunk."""

    def __init__(self, chunk: int) -> None:
        self._slice = max(1, (chunk // ZSTD_BLOCK - 1) * ZSTD_BLOCK_INPUT)
        self._d = zstandard.ZstdDecompressor().decompressobj()

    def feed(self, data: bytes) -> Iterator[bytes]:
        view = memoryview(data)
        for start in range(0, len(view), self._slice):
            if self._d.eof:
                # several frames back to back: start a fresh decoder on the rest
                self._d = zstandard.ZstdDecompressor().decompressobj()
            try:
                out = self._d.decompress(view[start : start + self._slice].tobytes())
            except zstandard.ZstdError as exc:
                raise DecodingError(f"invalid zstd data: {exc}") from exc
            if out:
                yield out

    def finish(self) -> Iterator[bytes]:
        return iter(())


def parse_encodings(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header in the order they were applied."""
    if not header:
        return []
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    return [c for c in codings if c != "identity"]


def _stage(encoding: str, chunk: int) -> _Stage:
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Zlib("deflate" if encoding == "deflate" else "gzip", chunk)
    if encoding == "br":
        return _Brotli(chunk)
    if encoding == "zstd":
        return _Zstd(chunk)
    raise DecodingError(f"unsupported Content-Encoding {encoding!r}")


class BoundedDecoder:
    """Decodes a body incrementally; raises TooLargeError once the output passes ``limit``.

    ``feed(raw)`` returns the decoded bytes of this piece of input; ``finish()`` the rest.
    Each stage (one per encoding, applied in reverse order) is bounded too, so a bomb
    hidden under another encoding is stopped as early.
    """

    def __init__(self, content_encoding: str | None, limit: int, *, url: str | None = None) -> None:
        codings = parse_encodings(content_encoding)
        if len(codings) > MAX_ENCODINGS:
            raise DecodingError(
                f"refused: {len(codings)} stacked content encodings (at most {MAX_ENCODINGS})",
                url=url,
            )
        self.limit = limit
        self.url = url
        self.chunk = max(1024, min(MAX_CHUNK, limit // 16))
        self.stages: list[_Stage] = [_stage(c, self.chunk) for c in reversed(codings)]
        self.size = 0
        self.raw_size = 0

    def _accept(self, piece: bytes, out: list[bytes]) -> None:
        self.size += len(piece)
        if self.size > self.limit:
            raise TooLargeError(
                f"{self.url or 'the body'} is larger than the limit of {self.limit:,} bytes "
                "once decompressed",
                url=self.url,
            )
        out.append(piece)

    def _run(self, index: int, pieces: Iterable[bytes], out: list[bytes]) -> None:
        """Push ``pieces`` into stage ``index``; the last stage's output is the body."""
        for piece in pieces:
            if index == len(self.stages):
                self._accept(piece, out)
            else:
                self._run(index + 1, self.stages[index].feed(piece), out)

    def feed(self, raw: bytes) -> bytes:
        """Decoded bytes of this piece of raw body (possibly empty)."""
        self.raw_size += len(raw)
        if self.raw_size > self.limit:
            raise TooLargeError(
                f"{self.url or 'the body'} is larger than the limit of {self.limit:,} bytes",
                url=self.url,
            )
        out: list[bytes] = []
        self._run(0, (raw,), out)
        return b"".join(out)

    def finish(self) -> bytes:
        """Whatever the stages still hold once the raw body has ended."""
        out: list[bytes] = []
        for index, stage in enumerate(self.stages):
            self._run(index + 1, stage.finish(), out)
        return b"".join(out)
