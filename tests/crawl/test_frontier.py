"""The frontier on SQLite and PostgreSQL: claims, leases, retries, politeness."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from newsarchive.models import CrawlRun, FrontierURL, HostState
from newsarchive.storage import crawls as runs
from newsarchive.storage import frontier
from newsarchive.storage.db import Database
from newsarchive.storage.frontier import Candidate, Failure, Policy

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
FAST = Policy(lease_seconds=30, host_delay=0.0, host_concurrency=4, max_attempts=3)


def _run(db: Database, status: str = "queued") -> int:
    """A pass; "queued" is one handed to the workers, "running" one its process drives."""
    with db.write() as s:
        run = CrawlRun(trigger="cli", status=status)
        s.add(run)
        s.flush()
        assert run.id is not None
        return run.id


def _queue(db: Database, urls: list[str], run_id: int | None = None,
           now: datetime = T0) -> frontier.EnqueueResult:
    with db.write() as s:
        return frontier.enqueue(s, candidates=[Candidate(u) for u in urls], source_id=None,
                                run_id=run_id, now=now)


def _claim(db: Database, worker: str, policy: Policy = FAST, limit: int = 50,
           now: datetime = T0, run_id: int | None = None) -> list[frontier.Claimed]:
    with db.write() as s:
        return frontier.claim(s, worker=worker, policy=policy, limit=limit, now=now,
                              run_id=run_id)


def _row(db: Database, url: str) -> FrontierURL:
    with db.read() as s:
        row = frontier.get(s, url)
        assert row is not None
        return row


def test_enqueue_is_idempotent_and_finished_urls_are_never_claimed_again(db: Database) -> None:
    run = _run(db)
    urls = [f"http://a.test/story-{i}" for i in range(3)]
    assert _queue(db, urls + urls[:1], run).queued == 3
    assert _queue(db, urls, run).queued == 3  # already queued: joins the pass, no new rows
    got = _claim(db, "w1")
    assert sorted(c.url for c in got) == urls
    for c in got:
        with db.write() as s:
            assert frontier.complete(s, row_id=c.id, worker="w1", outcome="archived",
                                     article_id=None, now=T0)
    again = _queue(db, urls, run)
    assert (again.queued, again.skipped) == (0, 3)
    assert _queue(db, urls, _run(db)).queued == 0  # done, no article due for a recheck
    assert _claim(db, "w2", now=T0 + timedelta(hours=1)) == []
    with db.read() as s:
        assert s.query(FrontierURL).count() == 3
        assert frontier.run_outcomes(s, run_id=run) == ({"archived": 3}, {})


def test_an_expired_lease_returns_the_url_and_the_old_worker_cannot_finish_it(
    db: Database,
) -> None:
    _queue(db, ["http://a.test/story-lost"])
    policy = Policy(lease_seconds=10, host_delay=0, host_concurrency=4, max_attempts=3)
    [first] = _claim(db, "dead", policy)
    assert _claim(db, "other", policy) == []  # leased
    later = T0 + timedelta(seconds=11)
    with db.write() as s:
        assert frontier.reap_expired(s, policy=policy, now=later) == 1
    [second] = _claim(db, "alive", policy, now=later)
    assert second.id == first.id and second.attempts == 2
    with db.write() as s:
        assert not frontier.complete(s, row_id=first.id, worker="dead", outcome="archived",
                                     article_id=None, now=later)
        assert frontier.complete(s, row_id=second.id, worker="alive", outcome="archived",
                                 article_id=None, now=later)
    assert _row(db, "http://a.test/story-lost").state == "done"


def test_lease_renewal_keeps_the_url(db: Database) -> None:
    _queue(db, ["http://a.test/story-long"])
    policy = Policy(lease_seconds=10, host_delay=0, host_concurrency=4, max_attempts=3)
    [c] = _claim(db, "w1", policy)
    with db.write() as s:
        assert frontier.renew(s, ids=[c.id], worker="w1", policy=policy,
                              now=T0 + timedelta(seconds=8)) == {c.id}
        assert frontier.renew(s, ids=[c.id], worker="w2", policy=policy, now=T0) == set()
    with db.write() as s:
        assert frontier.reap_expired(s, policy=policy, now=T0 + timedelta(seconds=12)) == 0
    assert _row(db, "http://a.test/story-long").state == "in_progress"


def test_a_finished_url_is_not_a_lost_lease(db: Database) -> None:
    # a renewal racing the page's own completion must not read as a lost lease
    _queue(db, ["http://a.test/story-stored", "http://a.test/story-gone", "http://a.test/story-busy"])
    stored, gone, busy = sorted(_claim(db, "w1"), key=lambda c: c.url)[::-1]
    with db.write() as s:
        frontier.complete(s, row_id=stored.id, worker="w1", outcome="archived",
                          article_id=None, now=T0)
        frontier.fail(s, row_id=gone.id, worker="w1", policy=FAST, now=T0,
                      failure=Failure("http_404", "HTTP 404"))
    ids = [stored.id, gone.id, busy.id]
    with db.write() as s:
        assert frontier.renew(s, ids=ids, worker="w1", policy=FAST, now=T0) == {busy.id}
        assert frontier.finished(s, ids=ids) == {stored.id, gone.id}


def test_retryable_failures_back_off_then_fail_for_good(db: Database) -> None:
    url = "http://a.test/story-flaky"
    _queue(db, [url])
    now = T0
    waits = []
    for _attempt in range(3):
        [c] = _claim(db, "w", now=now)
        with db.write() as s:
            state = frontier.fail(s, row_id=c.id, worker="w", policy=FAST, now=now,
                                  failure=Failure("http_503", "HTTP 503", retryable=True))
        row = _row(db, url)
        if state == "queued":
            waits.append((row.next_attempt_at - now).total_seconds())
            assert _claim(db, "w", now=now) == []  # not before its backoff
            now = row.next_attempt_at
    assert waits == [1.0, 2.0]
    row = _row(db, url)
    assert (row.state, row.last_reason, row.attempts) == ("failed", "http_503", 3)


def test_client_errors_are_not_retried(db: Database) -> None:
    _queue(db, ["http://a.test/story-gone"])
    [c] = _claim(db, "w")
    with db.write() as s:
        assert frontier.fail(s, row_id=c.id, worker="w", policy=FAST, now=T0,
                             failure=Failure("http_404", "HTTP 404")) == "failed"
    assert _queue(db, ["http://a.test/story-gone"], _run(db)).queued == 0


def test_a_final_failure_found_again_a_day_later_is_fetched_again(db: Database) -> None:
    url = "http://a.test/story-not-yet-live"
    _queue(db, [url])
    [c] = _claim(db, "w")
    with db.write() as s:
        frontier.fail(s, row_id=c.id, worker="w", policy=FAST, now=T0,
                      failure=Failure("http_404", "HTTP 404"))
    soon = T0 + frontier.REDISCOVER_FAILED_AFTER - timedelta(minutes=1)
    assert _queue(db, [url], _run(db), now=soon).queued == 0
    later = T0 + frontier.REDISCOVER_FAILED_AFTER + timedelta(minutes=1)
    assert _queue(db, [url], _run(db), now=later).queued == 1
    row = _row(db, url)
    assert (row.state, row.attempts, row.last_reason) == ("queued", 0, None)
    assert [x.url for x in _claim(db, "w", now=later)] == [url]


def test_retry_after_holds_back_the_whole_host(db: Database) -> None:
    _queue(db, ["http://busy.test/story-1", "http://busy.test/story-2"])
    policy = Policy(lease_seconds=30, host_delay=0, host_concurrency=1, max_attempts=3)
    [c] = _claim(db, "w", policy)
    with db.write() as s:
        frontier.fail(s, row_id=c.id, worker="w", policy=policy, now=T0,
                      failure=Failure("http_429", "HTTP 429", retryable=True, retry_after=120))
    assert _claim(db, "w", policy, now=T0 + timedelta(seconds=60)) == []
    assert len(_claim(db, "w", policy, now=T0 + timedelta(seconds=121))) == 1


def test_host_delay_spaces_slots_across_claims_and_workers(db: Database) -> None:
    hosts = ["a.test", "b.test"]
    _queue(db, [f"http://{h}/story-{i}" for h in hosts for i in range(5)])
    polite = Policy(lease_seconds=30, host_delay=10, host_concurrency=4, max_attempts=3)
    first = _claim(db, "w1", polite)
    assert sorted(c.host for c in first) == hosts  # one per host within the claim horizon
    assert _claim(db, "w2", polite, now=T0 + timedelta(seconds=5)) == []
    second = _claim(db, "w2", polite, now=T0 + timedelta(seconds=10))
    assert len(second) == 2 and all(c.not_before == T0 + timedelta(seconds=10) for c in second)
    with db.read() as s:
        state = s.get(HostState, "a.test")
        assert state is not None and state.next_allowed_at == T0 + timedelta(seconds=20)


def test_host_concurrency_counts_live_leases(db: Database) -> None:
    _queue(db, [f"http://a.test/story-{i}" for i in range(6)])
    policy = Policy(lease_seconds=30, host_delay=0, host_concurrency=2, max_attempts=3)
    assert len(_claim(db, "w1", policy)) == 2
    assert _claim(db, "w2", policy) == []
    assert _claim(db, "w2", policy, now=T0 + timedelta(seconds=29)) == []
    # an expired lease is a dead worker: it no longer holds a slot of the host
    assert len(_claim(db, "w2", policy, now=T0 + timedelta(seconds=31))) == 2
    with db.read() as s:
        assert frontier.pending(s) == 6


def test_release_gives_urls_back_untried(db: Database) -> None:
    _queue(db, ["http://a.test/story-x"])
    [c] = _claim(db, "w1")
    with db.write() as s:
        assert frontier.release(s, ids=[c.id], worker="w1", now=T0) == 1
    row = _row(db, "http://a.test/story-x")
    assert (row.state, row.attempts) == ("queued", 0)


def test_claims_can_be_limited_to_one_pass(db: Database) -> None:
    run_a, run_b = _run(db), _run(db)
    _queue(db, ["http://a.test/story-a"], run_a)
    _queue(db, ["http://b.test/story-b"], run_b)
    got = _claim(db, "w", run_id=run_b)
    assert [c.url for c in got] == ["http://b.test/story-b"]
    with db.read() as s:
        assert frontier.pending(s, run_id=run_a) == 1


def test_a_pass_its_own_process_drives_is_not_claimed_by_other_workers(db: Database) -> None:
    # `crawl` in the foreground (or serve's "crawl now") fetches its pass with its own
    # settings: another process's workers (another NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS, say)
    # taking its URLs failed them under a policy the user had not chosen for this pass
    driven, handed = _run(db, status="running"), _run(db)
    _queue(db, ["http://a.test/story-driven"], driven)
    _queue(db, ["http://b.test/story-handed"], handed)
    _queue(db, ["http://c.test/story-no-pass"])
    got = _claim(db, "other-process")
    assert sorted(c.url for c in got) == ["http://b.test/story-handed",
                                          "http://c.test/story-no-pass"]
    [own] = _claim(db, "driver", run_id=driven)
    assert own.url == "http://a.test/story-driven"
    with db.write() as s:  # the driver returns it untried and hands the pass over
        assert frontier.release(s, ids=[own.id], worker="driver", now=T0) == 1
        run = s.get(CrawlRun, driven)
        assert run is not None
        run.status = "queued"
        s.add(run)
    assert [c.url for c in _claim(db, "other-process")] == ["http://a.test/story-driven"]


def test_the_pass_of_a_dead_driver_is_handed_to_the_workers(db: Database) -> None:
    # a foreground crawl killed outright leaves its pass "running": its queued URLs, left
    # alone by other workers while the driver lives, must not be stranded once it is gone
    driven = _run(db, status="running")
    _queue(db, ["http://a.test/story-stranded"], driven)
    with db.write() as s:
        runs.beat(s, run_id=driven, now=T0)
    silence = 60.0
    for seconds, handed in ((30, 0), (59, 0)):
        with db.write() as s:
            assert runs.hand_over_abandoned(
                s, now=T0 + timedelta(seconds=seconds), silent_for=silence) == handed
    assert _claim(db, "other-process", now=T0 + timedelta(seconds=59)) == []
    with db.write() as s:  # the driver is alive: it beats again
        runs.beat(s, run_id=driven, now=T0 + timedelta(seconds=50))
        assert runs.hand_over_abandoned(s, now=T0 + timedelta(seconds=100),
                                        silent_for=silence) == 0
    with db.write() as s:  # then silence for longer than allowed
        assert runs.hand_over_abandoned(s, now=T0 + timedelta(seconds=111),
                                        silent_for=silence) == 1
        run = s.get(CrawlRun, driven)
        assert run is not None and run.status == "queued"
    [got] = _claim(db, "other-process", now=T0 + timedelta(seconds=111))
    assert got.url == "http://a.test/story-stranded"


@pytest.mark.postgres
def test_concurrent_claimers_never_share_a_url(pg_url: str) -> None:
    from newsarchive.storage.migrate import upgrade

    upgrade(pg_url)
    db = Database(pg_url)
    try:
        _queue(db, [f"http://h{i % 20}.test/story-{i}" for i in range(400)])
        got: list[int] = []
        lock = threading.Lock()

        def work(name: str) -> None:
            while True:
                batch = _claim(db, name, limit=7)
                if not batch:
                    return
                with lock:
                    got.extend(c.id for c in batch)
                with db.write() as s:
                    for c in batch:
                        frontier.complete(s, row_id=c.id, worker=name, outcome="archived",
                                          article_id=None, now=T0)

        threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(got) == 400 and len(set(got)) == 400
    finally:
        db.dispose()
