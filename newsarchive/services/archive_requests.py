"""Archive one URL on request, and keep the request where every web process can see it.

``POST /api/articles`` waits ``NEWSARCHIVE_ARCHIVE_WAIT`` seconds for ``archive_now``; a
slower archive goes on in the process that took the POST, and its request is an
``archive_request`` row: ``pending``, then ``archived`` (with the article id) or
``failed`` (with the reason a 422 would have given). Any web process over the same
database answers for any request.

A restart does not retry a request: it reports it. The running process renews the row's
heartbeat every HEARTBEAT_SECONDS; a pending row whose heartbeat is older than
STALE_SECONDS belonged to a process that stopped or died, and is answered (and stored) as
``failed`` with INTERRUPTED. A server stopping cleanly marks its running requests so at
once. Retrying instead would fetch a URL again long after the client gave up, possibly
in several processes at once; POSTing the URL again is the client's one-line retry.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsarchive.config import Settings
from newsarchive.errors import FetchError, NewsarchiveError
from newsarchive.fetch.client import Fetcher
from newsarchive.models import ArchiveRequestRow
from newsarchive.services.archive import archive_url
from newsarchive.storage import archive_requests as store
from newsarchive.storage.db import Database

log = logging.getLogger(__name__)

#: how often a running request's heartbeat is renewed: one small UPDATE per request per
#: interval, cheap beside the fetch it accompanies
HEARTBEAT_SECONDS = 10.0
#: a pending request silent this long was interrupted: six missed heartbeats, so a process
#: stalled by a loaded machine or a long database wait is not declared dead while alive
STALE_SECONDS = 60.0
#: finished requests are answered for a week (a poller that went away for a weekend
#: still learns the outcome), then forgotten
KEEP_SECONDS = 7 * 86400.0
INTERRUPTED = ("interrupted by a restart: the server stopped before the archive finished; "
               "POST the URL again")
UNEXPECTED = "the archive failed on an unexpected error (see the server log)"


class ArchiveRefused(NewsarchiveError):
    """The URL cannot be archived (refused, unreachable, upstream error, not an article):
    the API's 422."""

    reason = "refused"


async def archive_now(*, db: Database, settings: Settings, url: str) -> int:
    """Fetch, extract and store ``url``; the article's id. Raises ArchiveRefused with the
    reason a user can act on; a StorageError is the server's problem and passes through."""
    try:
        async with Fetcher(settings) as fetcher:
            outcome = await archive_url(db=db, fetcher=fetcher, url=url)
    except FetchError as exc:
        raise ArchiveRefused(f"cannot archive {url}: {exc}", url=url) from exc
    except NewsarchiveError as exc:
        if exc.reason == "storage":
            raise
        raise ArchiveRefused(str(exc), url=url) from exc
    return outcome.article.id or 0


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Started:
    """A request just recorded: its row as created, and the task archiving it."""

    row: ArchiveRequestRow
    task: asyncio.Task[int]


class ArchiveRequests:
    """Starts archive requests in this process and answers for anyone's, by id."""

    def __init__(self, *, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings
        self._tasks: set[asyncio.Task[int]] = set()

    async def start(self, url: str) -> Started:
        """Record a pending request (forgetting long-finished ones) and start archiving."""
        request_id = uuid.uuid4().hex
        row = await asyncio.to_thread(self._create, request_id, url)
        task = asyncio.get_running_loop().create_task(self._run(request_id, url),
                                                      name=f"archive {url}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return Started(row, task)

    def _create(self, request_id: str, url: str) -> ArchiveRequestRow:
        now = _now()
        with self._db.write() as session:
            store.prune(session=session, created_before=now - timedelta(seconds=KEEP_SECONDS))
            return store.create(session=session, request_id=request_id, url=url, now=now)

    async def _run(self, request_id: str, url: str) -> int:
        job = asyncio.ensure_future(archive_now(db=self._db, settings=self._settings, url=url))
        try:
            while not job.done():
                await asyncio.wait({job}, timeout=HEARTBEAT_SECONDS)
                if not job.done():
                    await asyncio.to_thread(self._heartbeat, request_id)
            article_id = job.result()
        except asyncio.CancelledError:
            job.cancel()
            await asyncio.to_thread(self._finish, request_id, None, INTERRUPTED)
            raise
        except Exception as exc:
            if not isinstance(exc, NewsarchiveError):
                log.error("archiving %s failed", url, exc_info=exc)
            detail = str(exc) if isinstance(exc, NewsarchiveError) else UNEXPECTED
            await asyncio.to_thread(self._finish, request_id, None, detail)
            raise
        await asyncio.to_thread(self._finish, request_id, article_id, None)
        return article_id

    def _heartbeat(self, request_id: str) -> None:
        with self._db.write() as session:
            store.heartbeat(session=session, request_ids=[request_id], now=_now())

    def _finish(self, request_id: str, article_id: int | None, detail: str | None) -> None:
        with self._db.write() as session:
            store.finish(session=session, request_id=request_id, now=_now(),
                         article_id=article_id, detail=detail)

    async def get(self, request_id: str) -> ArchiveRequestRow | None:
        """The request as it stands; a pending one whose process is gone is failed now."""
        return await asyncio.to_thread(self._get, request_id)

    def _get(self, request_id: str) -> ArchiveRequestRow | None:
        with self._db.read() as session:
            row = store.get(session, request_id)
        now = _now()
        silent_since = now - timedelta(seconds=STALE_SECONDS)
        if row is None or row.status != "pending" or (row.heartbeat_at or now) >= silent_since:
            return row
        with self._db.write() as session:
            store.fail_stale(session=session, silent_since=silent_since, detail=INTERRUPTED,
                             now=now, request_id=request_id)
            return store.get(session, request_id)

    async def aclose(self) -> None:
        """The server is going down: stop what still runs; each is recorded as
        interrupted."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
