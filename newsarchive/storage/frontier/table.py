"""The frontier's tables and what every part of it reads them by: the pass rule (which
rows a worker of a pass takes), the claim and failure policy, and small row helpers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from newsarchive.models import Article, CrawlRun, FrontierURL, HostState

F = FrontierURL.__table__  # type: ignore[attr-defined]
H = HostState.__table__  # type: ignore[attr-defined]
A = Article.__table__  # type: ignore[attr-defined]
R = CrawlRun.__table__  # type: ignore[attr-defined]

#: first retry of a 5xx or a timeout waits this long, doubling each attempt (1, 2, 4 s...)
RETRY_BASE_SECONDS = 1.0
#: rows per IN (...) list; well under SQLite's variable limit
CHUNK = 500


@dataclass(frozen=True)
class Policy:
    """What claiming and failing need to know; built from Settings by the services."""

    lease_seconds: float = 60.0
    host_delay: float = 1.0
    host_concurrency: int = 2
    max_attempts: int = 3
    retry_base: float = RETRY_BASE_SECONDS


#: rows of a pass still "running": it is driven by the process that started it (`crawl` in
#: the foreground, serve's "crawl now"), which fetches it with its own worker and its own
#: settings. Other workers leave them alone: taking them fetched them under another policy
#: (a private address refused, and recorded failed, in a pass run to allow it). If that
#: process dies, its heartbeat goes stale and the workers' reaper hands the pass to them
#: (storage/crawls.py: hand_over_abandoned).
_DRIVEN = sa.exists().where(R.c.id == F.c.crawl_run_id, R.c.status == "running")


def for_pass(query: Any, run_id: int | sa.BindParameter[int] | None) -> Any:
    """``query`` limited to the rows a worker of pass ``run_id`` (None: any pass) takes."""
    return query.where(F.c.crawl_run_id == run_id if run_id is not None else ~_DRIVEN)


def chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
