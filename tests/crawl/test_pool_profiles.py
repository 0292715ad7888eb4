"""A site's profile crosses to each extraction process once; later pages name it by key."""

from __future__ import annotations

import asyncio
import pickle

from newsarchive.extract import ExtractedArticle, ExtractOptions, build_site_profile, extract
from newsarchive.extract.profile import SiteProfile
from newsarchive.services.extract_process import (
    PROCESS_PROFILES,
    Job,
    ProfileCache,
    frame_head,
    read_job,
)
from newsarchive.services.extraction import ExtractionCrashed, ExtractPool
from tests.crawl.crashy import crashy_job
from tests.pages import lorem_paragraphs, seed_page

URL = "https://worldnews.example/2022/03/01/story/"
REPEATED = "Disclaimer: the views expressed"
#: fingerprints added to the learnt ones: a profile of production size (tens of KB)
EXTRA_FINGERPRINTS = 3000


def _site_page(n: int) -> bytes:
    paras = lorem_paragraphs(n, 5) + [f"{REPEATED} by contributors are their own and do not "
                                      "reflect the policy of World News Today."]
    return seed_page(title=f"Story number {n} about the harbour", paragraphs=paras).encode()


def _large_profile() -> SiteProfile:
    learnt = build_site_profile([_site_page(n).decode() for n in range(6)])
    assert learnt
    extra = {f"{i:016x}" for i in range(EXTRA_FINGERPRINTS)}
    return SiteProfile(learnt.fingerprints | extra, learnt.pages)


def test_the_profile_is_sent_to_a_process_once_and_again_after_a_restart() -> None:
    profile = _large_profile()
    page = _site_page(99)
    pool = ExtractPool(1, job=crashy_job, timeout=10)
    sizes: list[int] = []

    async def one(options: ExtractOptions) -> ExtractedArticle:
        before = pool.sent_bytes
        extracted, _simhash = await pool.run(page, URL, options)
        sizes.append(pool.sent_bytes - before)
        return extracted

    async def main() -> tuple[list[ExtractedArticle], object]:
        await pool.start()
        records = [await one(ExtractOptions(profile=profile)),
                   await one(ExtractOptions(profile=profile)),
                   # an equal profile built again (as the hourly relearning does) is the same one
                   await one(ExtractOptions(profile=SiteProfile.from_json(profile.to_json()))),
                   await one(ExtractOptions())]
        crashed = await asyncio.gather(pool.run(b"<html>CRASH</html>", URL, ExtractOptions()),
                                       return_exceptions=True)
        records.append(await one(ExtractOptions(profile=profile)))  # a new process
        return records, crashed[0]

    try:
        records, crashed = asyncio.run(main())
    finally:
        pool.close()
    assert isinstance(crashed, ExtractionCrashed)
    first, again, rebuilt, bare, restarted = records
    in_process = extract(page, URL, ExtractOptions(profile=profile))
    assert REPEATED not in in_process.text and REPEATED in bare.text
    for record in (first, again, rebuilt, restarted):
        assert record.text == in_process.text and record.html == in_process.html
    profile_bytes = len(pickle.dumps(profile, pickle.HIGHEST_PROTOCOL))
    assert profile_bytes > 30_000
    plain = sizes[3]  # the same page with no profile at all
    for crossed in (sizes[0], sizes[4]):  # the first page, and the first in a new process
        assert abs(crossed - plain - profile_bytes) < 64
    assert abs(sizes[1] - plain) <= 16 and sizes[2] == sizes[1]  # the key alone


def test_the_pools_mirror_of_a_process_holds_what_the_process_holds() -> None:
    """More profiles than a process keeps, revisited: each frame reads back with its own
    profile, sent only when the process has let it go."""
    profiles = [SiteProfile(frozenset({f"{i:016x}"}), 3) for i in range(PROCESS_PROFILES + 8)]
    order = [*range(len(profiles)), 0, 5, len(profiles) - 1, 9, 0]
    mirror, process = ProfileCache(), ProfileCache()
    sent = 0
    for i in order:
        payload = pickle.dumps((b"<html></html>", f"{URL}{i}", ExtractOptions()))
        head = frame_head(Job(payload, i + 1, profiles[i]), mirror)
        sent += len(head) > 40  # a profile part carries the fingerprints
        body, url, options = read_job(head[4:] + payload, process)
        assert url == f"{URL}{i}" and options.profile == profiles[i]
        assert mirror.keys() == process.keys()
    # 0, 5 and 9 had been let go (64 newer ones came after each); the last one and 0, once
    # sent again, were still held
    assert sent == len(profiles) + 3
