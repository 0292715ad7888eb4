"""API benchmark: p50/p95 latency and req/s of the REST API under load, against a trivial
FastAPI endpoint served the same way in the same run (the ceiling).

    .venv/bin/python bench/api.py [--articles 100000] [--backend sqlite|postgres|both]
                                  [--duration 5] [--connections 16] [--python-load]
                                  [--only list,detail]

Fills a fresh database with synthetic articles (Zipf vocabulary, log-normal lengths)
by bulk Core inserts, starts one uvicorn worker on 127.0.0.1, and loads it with wrk
(Debian package ``wrk``) against: the list, the detail, a deep cursor page, and
searches of 1-3 words, rare and common, newest-first and by relevance. The trivial
endpoint (its own uvicorn worker, idle in between) is measured again right before each
row's many-client run and the row's "of trivial" divides by that run: on a shared,
loaded machine the ceiling itself moves by 10-30% within a minute. Prints a Markdown
table. PostgreSQL at NEWSARCHIVE_TEST_PG_URL.

Without wrk on PATH (or with ``--python-load``) a bounded Python load generator runs
instead (asyncio + httpx: N keep-alive clients for a fixed duration), and the output
says so: it needs ~0.3 ms of CPU per request itself, so it saturates before the server
does and its req/s are lower and closer together than wrk's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsarchive.models import Article  # noqa: E402
from newsarchive.storage.migrate import upgrade  # noqa: E402

PG_ADMIN = os.environ.get("NEWSARCHIVE_TEST_PG_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
VOCABULARY = 30_000
#: Zipf exponent of word frequencies in English text
ZIPF_S = 1.1
BATCH = 2_000
#: a request the Python load generator waits longer for counts as an error
PYTHON_LOAD_TIMEOUT_S = 10
#: set by main(): wrk on PATH and not --python-load
USE_WRK = True
#: in-process CPU rows, printed after the wrk table
CPU_LINES: list[str] = []
#: set by main(): --only, the words a row's name must contain one of (none: every row)
ONLY: list[str] = []
LUA = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, '
    .. '"errors": %d, "non2xx": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status))
end
"""
TRIVIAL_APP = """
import uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/ping")
def ping() -> dict[str, bool]:
    return {"ok": True}
uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning", access_log=False)
"""
SERVE_APP = """
import uvicorn
from newsarchive.config import Settings
from newsarchive.web.app import create_app
app = create_app(Settings(database_url={url!r}))
uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning", access_log=False)
"""


def words() -> list[str]:
    """Pronounceable pseudo-words; rank 0 is the most frequent."""
    rng = np.random.default_rng(7)
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    out: set[str] = set()
    while len(out) < VOCABULARY:
        n = int(rng.integers(1, 4))
        out.add("".join(syllables[int(i)] for i in rng.integers(0, len(syllables), n)))
    return sorted(out, key=lambda w: (len(w), w))


def fill(url: str, n: int) -> list[str]:
    """n articles by bulk insert (triggers/generated columns index them); returns the vocabulary."""
    upgrade(url)
    vocab = np.array(words())
    rng = np.random.default_rng(11)
    engine = sa.create_engine(url)
    table = Article.__table__  # type: ignore[attr-defined]
    base = datetime(2020, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for start in range(0, n, BATCH):
            rows = []
            for i in range(start, min(n, start + BATCH)):
                length = int(min(3000, max(60, rng.lognormal(5.6, 0.6))))  # median ~270 words
                ranks = np.minimum(rng.zipf(ZIPF_S, length) - 1, VOCABULARY - 1)
                body = " ".join(vocab[ranks])
                title = " ".join(vocab[rng.integers(0, 5000, 8)]).capitalize()
                when = base + timedelta(minutes=30 * i)
                rows.append({
                    "url": f"https://news{i % 50}.example/{i}", "canonical_url":
                    f"https://news{i % 50}.example/{i}", "title": title,
                    "description": body[:200], "authors": [f"Author {i % 300}"],
                    "published_at": when, "language": "en", "text": body, "html": "",
                    "tags": [], "word_count": length, "content_hash":
                    hashlib.sha256(body.encode()).hexdigest(), "access": "free",
                    "fetched_at": when, "updated_at": when, "version": 1,
                    "extractor_version": "bench", "meta": {}, "rechecks": 0,
                })
            conn.execute(table.insert(), rows)
    with engine.connect() as conn:  # statistics, as autovacuum / PRAGMA optimize keep them
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    engine.dispose()
    return list(vocab)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(code: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", code.replace("{port}", str(port))],
                            cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):  # up to a minute: a loaded machine imports slowly
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(base + "/healthz" if "create_app" in code else base + "/ping")
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def python_load(url: str, duration: float, connections: int) -> dict[str, float]:
    """wrk's summary from a bounded Python client: ``connections`` keep-alive clients
    sending requests back to back for ``duration`` seconds, then stopping."""
    import asyncio

    import httpx

    latencies: list[float] = []
    failed = {"errors": 0, "non2xx": 0}

    async def client_loop(client: httpx.AsyncClient, deadline: float) -> None:
        while (started := time.perf_counter()) < deadline:
            try:
                response = await client.get(url)
            except httpx.HTTPError:
                failed["errors"] += 1
                continue
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 400:  # as wrk's errors.status
                failed["non2xx"] += 1

    async def run() -> float:
        limits = httpx.Limits(max_connections=connections,
                              max_keepalive_connections=connections)
        async with httpx.AsyncClient(limits=limits, timeout=PYTHON_LOAD_TIMEOUT_S) as client:
            began = time.perf_counter()
            await asyncio.gather(*(client_loop(client, began + duration)
                                   for _ in range(connections)))
            return time.perf_counter() - began

    seconds = asyncio.run(run())
    p50, p95, p99 = (np.percentile(latencies, [50, 95, 99]) * 1000 if latencies
                     else (float("nan"),) * 3)
    return {"requests": len(latencies), "seconds": seconds, "p50": p50, "p95": p95,
            "p99": p99, **failed}


def load(url: str, duration: int, connections: int, script: str) -> dict[str, float]:
    """One load run: wrk when it is installed (and not --python-load), else Python."""
    if USE_WRK:
        return wrk(url, duration, connections, script)
    return python_load(url, duration, connections)


def wrk(url: str, duration: int, connections: int, script: str) -> dict[str, float]:
    threads = min(2, connections)  # wrk needs at least one connection per thread
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "-s", script, url],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def scenarios(base: str, vocab: list[str]) -> dict[str, str]:
    common, rare = vocab[0], vocab[20_000]
    mid1, mid2, mid3 = vocab[300], vocab[800], vocab[1500]
    cursor = None
    for _ in range(50):  # page 51 of 100: 5,000 articles deep
        cursor = get(f"{base}/api/articles?limit=100" + (f"&cursor={cursor}" if cursor else
                                                         ""))["next_cursor"]
    some_id = get(f"{base}/api/articles?limit=1")["items"][0]["id"]  # type: ignore[index]
    return {
        "list (20 newest)": "/api/articles",
        "list, deep cursor (5,000 in)": f"/api/articles?cursor={cursor}",
        "detail": f"/api/articles/{some_id}",
        f"search 1 common word ({common})": f"/api/articles?q={common}",
        f"search 1 rare word ({rare})": f"/api/articles?q={rare}",
        "search 2 words": f"/api/articles?q={mid1}+{mid2}",
        # ~1,900 matches at 100k: just under the dense threshold, the costliest band
        "search 2 other words": f"/api/articles?q={vocab[100]}+{vocab[200]}",
        "search 3 words": f"/api/articles?q={mid1}+{mid2}+{mid3}",
        "search phrase + exclusion": f"/api/articles?q=%22{vocab[1]}+{vocab[2]}%22+-{mid3}",
        "relevance 1 common word": f"/api/articles?q={common}&sort=relevance",
        "relevance 2 words": f"/api/articles?q={mid1}+{mid2}&sort=relevance",
    }


def measure(url: str, duration: int, connections: int, script: str, trivial: str) -> str:
    """Latency with one client (the service time, no queueing), req/s with many, and that
    req/s against the trivial endpoint's measured just before."""
    one = load(url, duration, 1, script)
    ceiling = rate(load(trivial, duration, connections, script))
    many = load(url, duration, connections, script)
    rps = rate(many)
    errors = one["errors"] + one["non2xx"] + many["errors"] + many["non2xx"]
    return (f"{one['p50']:.1f} | {one['p95']:.1f} | {one['p99']:.1f} | {many['p99']:.1f} "
            f"| {rps:,.0f} | {ceiling:,.0f} | {rps / ceiling:.0%} | {errors} |")


def rate(result: dict[str, float]) -> float:
    return result["requests"] / result["seconds"]


#: in-process CPU rounds: endpoints alternate round by round, the median round counts
CPU_ROUNDS = 7
CPU_REQUESTS = 300
#: the rows the 50%-of-trivial target is about
CPU_ROWS = ("list (20 newest)", "list, deep cursor (5,000 in)", "detail")


def cpu_per_request(url: str, paths: dict[str, str]) -> list[str]:
    """CPU per request through the ASGI apps in this process (no sockets, no load
    generator), the API's against the trivial endpoint's, alternating round by round:
    on a shared machine CPU time holds where req/s under wrk swing with the neighbours.
    Leaves out what both pay alike (uvicorn's HTTP parsing) and PostgreSQL's own CPU."""
    import asyncio

    from fastapi import FastAPI

    from newsarchive.config import Settings
    from newsarchive.web.app import create_app

    ceiling = FastAPI()

    @ceiling.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    app = create_app(Settings(database_url=url))

    async def call(target: Any, path: str) -> None:
        route, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": route,
                 "raw_path": route.encode(), "query_string": query.encode(), "root_path": "",
                 "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 5000),
                 "server": ("127.0.0.1", 80), "state": {}}
        statuses: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await target(scope, receive, send)
        if statuses != [200]:
            raise RuntimeError(f"{path} answered {statuses}")

    async def run() -> dict[str, float]:
        targets = {"trivial": (ceiling, "/ping"), **{k: (app, v) for k, v in paths.items()}}
        rounds: dict[str, list[float]] = {k: [] for k in targets}
        async with app.router.lifespan_context(app):
            for target, path in targets.values():  # warm-up: plans, pools, caches
                for _ in range(CPU_REQUESTS // 3):
                    await call(target, path)
            for _ in range(CPU_ROUNDS):
                for label, (target, path) in targets.items():
                    began = time.process_time()
                    for _ in range(CPU_REQUESTS):
                        await call(target, path)
                    rounds[label].append((time.process_time() - began) / CPU_REQUESTS)
        return {k: sorted(v)[len(v) // 2] * 1000 for k, v in rounds.items()}

    cpu = asyncio.run(run())
    return [f"{label} | {cpu[label]:.3f} | {cpu['trivial']:.3f} | {cpu['trivial'] / cpu[label]:.0%}"
            for label in paths]


def run_backend(name: str, url: str, n: int, duration: int, connections: int,
                script: str, trivial: str) -> list[str]:
    t0 = time.monotonic()
    vocab = fill(url, n)
    print(f"# {name}: filled {n:,} articles in {time.monotonic() - t0:.0f} s", flush=True)
    proc, base = start(SERVE_APP.replace("{url!r}", repr(url)))
    lines = []
    try:
        rows = scenarios(base, vocab)
        for label, path in rows.items():
            if ONLY and not any(word in label for word in ONLY):
                continue
            lines.append(f"| {name} | {label} | " + measure(base + path, duration, connections,
                                                          script, trivial))
            print(lines[-1], flush=True)
    finally:
        proc.terminate()
        proc.wait()
    paths = {k: v for k, v in rows.items() if k in CPU_ROWS}
    CPU_LINES.extend(f"| {name} | {row} |" for row in cpu_per_request(url, paths))
    print("\n".join(CPU_LINES[-len(paths):]), flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", default="",
                        help="comma-separated words: run only the rows whose name has one")
    parser.add_argument("--python-load", action="store_true",
                        help="use the Python load generator even when wrk is installed")
    args = parser.parse_args()
    global USE_WRK, ONLY
    USE_WRK = shutil.which("wrk") is not None and not args.python_load
    ONLY = [word for word in args.only.split(",") if word]
    generator = ("wrk" if USE_WRK else "Python fallback (asyncio + httpx, bounded by its "
                 "own CPU; not comparable with wrk numbers)")
    print(f"# load generator: {generator}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="na-bench-"))
    script = tmp / "report.lua"
    script.write_text(LUA)
    trivial_proc, trivial_base = start(TRIVIAL_APP)  # kept running: measured before each row
    trivial = trivial_base + "/ping"
    try:
        load(trivial, args.duration, args.connections, str(script))  # warm-up
        c = args.connections
        header = [f"Load generator: {generator}.", "",
                  f"| backend | endpoint | p50 ms (1 client) | p95 ms (1) | p99 ms (1) | "
                  f"p99 ms ({c}) | req/s ({c} clients) | trivial req/s just before | "
                  f"of trivial | errors |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
                  "| - | trivial FastAPI endpoint (ceiling) | "
                  + measure(trivial, args.duration, args.connections, str(script), trivial)]
        print("\n".join(header), flush=True)
        lines = list(header)
        if args.backend in ("sqlite", "both"):
            lines += run_backend("SQLite", f"sqlite:///{tmp / 'bench.db'}", args.articles,
                                 args.duration, args.connections, str(script), trivial)
        if args.backend in ("postgres", "both"):
            name = f"na_bench_{os.getpid()}"
            admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            url = sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(False)
            try:
                lines += run_backend("PostgreSQL", url, args.articles, args.duration,
                                     args.connections, str(script), trivial)
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.dispose()
    finally:
        trivial_proc.terminate()
        trivial_proc.wait()
    print("\n" + "\n".join(lines))
    if CPU_LINES:
        print("\nCPU per request in-process (median of the rounds; trivial / endpoint is "
              "what the 16-client req/s ratio would be if only this process's CPU counted)."
              "\n\n| backend | endpoint | CPU ms / request | trivial CPU ms / request | "
              "trivial / endpoint |\n|---|---|---:|---:|---:|\n" + "\n".join(CPU_LINES))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
