"""The extraction pool survives pages that kill or hang their process."""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
from multiprocessing.context import ForkServerProcess

import pytest

from newsarchive.extract import ExtractOptions
from newsarchive.services.extraction import ExtractionCrashed, ExtractPool
from tests.crawl.crashy import crashy_job
from tests.pages import lorem_paragraphs, publisher_page


def test_a_page_that_kills_or_hangs_its_process_fails_alone() -> None:
    good = [publisher_page(f"Story {i}", lorem_paragraphs(i)).encode() for i in range(4)]
    pool = ExtractPool(2, job=crashy_job, timeout=3)

    async def main() -> list[object]:
        jobs = [pool.run(b, f"http://a.test/story-{i}", ExtractOptions())
                for i, b in enumerate(good)]
        jobs.insert(1, pool.run(b"<html>CRASH</html>", "http://a.test/crash", ExtractOptions()))
        jobs.insert(3, pool.run(b"<html>HANG</html>", "http://a.test/hang", ExtractOptions()))
        return await asyncio.gather(*jobs, return_exceptions=True)

    try:
        results = asyncio.run(main())
        after = asyncio.run(pool.run(good[0], "http://a.test/after", ExtractOptions()))
    finally:
        pool.close()
    hang, crash = results.pop(3), results.pop(1)
    assert isinstance(crash, ExtractionCrashed) and "killed its process" in str(crash)
    assert isinstance(hang, ExtractionCrashed) and "took over 3 s" in str(hang)
    for (extracted, simhash), i in zip(results, range(4), strict=True):  # type: ignore[misc]
        assert extracted.title == f"Story {i}" and extracted.is_article
        assert isinstance(simhash, int)
    assert after[0].title == "Story 0"


def test_pages_sent_behind_a_hung_one_are_not_failed_with_it() -> None:
    """One process is sent two pages at a time: those waiting behind a page that hangs are
    tried again alone, and a job's own exception reaches its caller as it is."""
    good = [publisher_page(f"Story {i}", lorem_paragraphs(i)).encode() for i in range(3)]
    pool = ExtractPool(1, job=crashy_job, timeout=2)

    async def main() -> list[object]:
        await pool.start()
        jobs = [pool.run(b"<html>HANG</html>", "http://a.test/hang", ExtractOptions()),
                *(pool.run(b, f"http://a.test/story-{i}", ExtractOptions())
                  for i, b in enumerate(good)),
                pool.run(b"<html>RAISE</html>", "http://a.test/raise", ExtractOptions())]
        return await asyncio.gather(*jobs, return_exceptions=True)

    try:
        hang, *results, raised = asyncio.run(main())
    finally:
        pool.close()
    assert isinstance(hang, ExtractionCrashed) and "took over 2 s" in str(hang)
    assert isinstance(raised, ValueError) and "http://a.test/raise" in str(raised)
    assert [extracted.title for extracted, _simhash in results] == [  # type: ignore[misc]
        f"Story {i}" for i in range(3)]


def test_a_lost_process_that_cannot_be_replaced_is_logged_and_its_pages_fail_cleanly(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The refill after a lost process fails (the fork server cannot start one): our own
    log line says so, the pages fail with ExtractionCrashed instead of waiting, asyncio has
    no unretrieved task exception to report, and the pool recovers once starts work again."""
    caplog.set_level(logging.ERROR)
    good = publisher_page("Story 0", lorem_paragraphs(0)).encode()
    pool = ExtractPool(1, job=crashy_job, timeout=5)

    def refused(self: ForkServerProcess) -> None:
        raise OSError(errno.EMFILE, "Too many open files")

    async def main(pool: ExtractPool) -> tuple[list[tuple[type, str]], str | None]:
        await pool.start()  # the one process starts; none after it can
        failed = []
        with monkeypatch.context() as patch:
            patch.setattr(ForkServerProcess, "start", refused)
            for body, url in ((b"<html>CRASH</html>", "http://a.test/crash"),
                              (good, "http://a.test/next")):
                (result,) = await asyncio.gather(pool.run(body, url, ExtractOptions()),
                                                 return_exceptions=True)
                failed.append((type(result), str(result)))  # no traceback kept (see below)
        recovered, _simhash = await pool.run(good, "http://a.test/after", ExtractOptions())
        return failed, recovered.title

    try:
        (crash, after_crash), recovered = asyncio.run(main(pool))
    finally:
        pool.close()
    del pool
    gc.collect()  # an unretrieved task exception is reported when its task is collected
    for (kind, message), url in ((crash, "http://a.test/crash"), (after_crash, "http://a.test/next")):
        assert kind is ExtractionCrashed, message
        assert message.startswith(f"extracting {url}: no extraction process could be started")
        assert "Too many open files" in message
    ours = [r for r in caplog.records if r.name == "newsarchive.services.extraction"]
    assert any("could not start an extraction process to replace a lost one" in r.getMessage()
               and r.levelno == logging.ERROR and r.exc_info is not None for r in ours), ours
    assert "never retrieved" not in caplog.text
    assert recovered == "Story 0"
