"""Raw bodies are stored zstd-compressed: 3x smaller and 3x faster to insert on PostgreSQL
than leaving it to TOAST (measured: ~350 rows/s vs 1,000+)."""

from __future__ import annotations

import zstandard

#: level 3 is zstd's default: most of the ratio at a fraction of the CPU of higher levels
ZSTD_LEVEL = 3


def compress(data: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)


def decompress(data: bytes, encoding: str = "zstd") -> bytes:
    if encoding == "identity":
        return data
    return zstandard.ZstdDecompressor().decompress(data)
