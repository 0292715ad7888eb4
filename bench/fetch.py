"""Fetch benchmark: pages/s of ``Fetcher`` (robots, politeness gate, per-host small
clients, bounded decoding) against the baseline of one plain httpx client with a big
pool, over the same local servers in the same run; and bounded decompression speed.

    .venv/bin/python bench/fetch.py [--hosts 8] [--pages 2000] [--pool 32]

Servers: one ThreadingHTTPServer per loopback host (127.0.0.2, 127.0.0.3, ...), each
answering a gzip page of ~30 KB (decoded). host_delay is 0, so the gate's cost, not
politeness, is what is measured. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import sys
import time
import zlib
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsarchive.config import Settings  # noqa: E402
from newsarchive.fetch.client import Fetcher  # noqa: E402
from newsarchive.fetch.decoding import BoundedDecoder  # noqa: E402
from tests.sites import LocalSite, Reply  # noqa: E402

PAGE = ("<html><body>" + "<p>The council met on Tuesday to discuss the budget.</p>" * 600
        + "</body></html>")


def start_sites(n: int) -> list[LocalSite]:
    sites = []
    for i in range(n):
        site = LocalSite(host=f"127.0.0.{i + 2}").start()
        site.add("/robots.txt", Reply(404))
        site.add("/p", Reply(body=PAGE, gzip=True))
        sites.append(site)
    return sites


def urls(sites: list[LocalSite], pages: int) -> list[str]:
    return [sites[i % len(sites)].url(f"/p?i={i}") for i in range(pages)]


async def baseline(targets: list[str], pool: int) -> float:
    limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
    sem = asyncio.Semaphore(pool)
    async with httpx.AsyncClient(limits=limits) as client:
        async def one(url: str) -> None:
            async with sem:
                r = await client.get(url)
                assert r.status_code == 200 and len(r.content) > 1000

        began = time.perf_counter()
        await asyncio.gather(*(one(u) for u in targets))
        return time.perf_counter() - began


async def ours(targets: list[str], pool: int, per_host: int) -> float:
    settings = Settings(database_url="sqlite://", allow_private_networks=True, host_delay=0.0,
                        concurrency=pool, host_concurrency=per_host)
    async with Fetcher(settings) as fetcher:
        await asyncio.gather(*(fetcher.robots_rules(u) for u in {t.split("/p")[0] + "/"
                                                                   for t in targets}))
        began = time.perf_counter()
        results = await asyncio.gather(*(fetcher.fetch(u) for u in targets))
        assert all(len(r.body) > 1000 for r in results)
        return time.perf_counter() - began


def decode_speed(size_mb: int = 64) -> list[tuple[str, float, float]]:
    raw = PAGE.encode() * (size_mb * 1024 * 1024 // len(PAGE))
    rows = []
    for name, data in (("gzip", gzip.compress(raw, 6)),):
        began = time.perf_counter()
        dec = BoundedDecoder(name, len(raw) + 1)
        n = sum(len(dec.feed(data[i:i + 65536])) for i in range(0, len(data), 65536))
        ours_s = time.perf_counter() - began
        began = time.perf_counter()
        plain = zlib.decompress(data, 16 + zlib.MAX_WBITS)
        base_s = time.perf_counter() - began
        assert n == len(plain) == len(raw)
        rows.append((name, len(raw) / ours_s / 1e6, len(raw) / base_s / 1e6))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--pool", type=int, default=32)
    args = parser.parse_args()
    sites = start_sites(args.hosts)
    try:
        targets = urls(sites, args.pages)
        asyncio.run(baseline(targets[:100], args.pool))  # warm-up
        base = asyncio.run(baseline(targets, args.pool))
        mine = asyncio.run(ours(targets, args.pool, per_host=4))
    finally:
        for site in sites:
            site.stop()
    print(f"\n{args.pages} gzip pages over {args.hosts} loopback hosts, {args.pool} in flight\n")
    print("| client | seconds | pages/s | vs baseline |")
    print("|---|---:|---:|---:|")
    print(f"| baseline: one httpx.AsyncClient, pool {args.pool}, httpx decoding | {base:.2f} | "
          f"{args.pages / base:.0f} | 1.00x |")
    print(f"| Fetcher: robots + gate + per-host clients + bounded decoding | {mine:.2f} | "
          f"{args.pages / mine:.0f} | {base / mine:.2f}x |")
    print("\n| decoding 64 MB | ours MB/s | zlib.decompress MB/s (unbounded baseline) |")
    print("|---|---:|---:|")
    for name, o, b in decode_speed():
        print(f"| {name} | {o:.0f} | {b:.0f} |")


if __name__ == "__main__":
    main()
