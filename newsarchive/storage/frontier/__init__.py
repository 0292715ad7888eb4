"""The frontier: the durable crawl queue, shared by every worker of a deployment.

One row per canonical URL. States::

    queued ──claim──> in_progress ──complete──> done
       ^                  │  │
       │   retryable fail │  └──final fail──> failed
       └──────────────────┘   (lease expiry also returns it to queued)

One module an idea: ``queueing`` (what a pass puts on the queue), ``claims`` (leasing due
URLs, host politeness included), ``leases`` (renewed, completed, failed, released,
expired), ``counts`` (what is left, when the next URL is due, how a pass ended), and
``table`` (the tables, the pass rule and the policy they share). Callers use the names
below as ``frontier.claim``, ``frontier.Policy``...
"""

from newsarchive.storage.frontier.claims import CLAIM_AHEAD_SECONDS, Claimed, claim
from newsarchive.storage.frontier.counts import (
    FETCHED_OUTCOMES,
    get,
    next_wakeup,
    pending,
    run_outcomes,
)
from newsarchive.storage.frontier.leases import (
    RETRY_MAX_SECONDS,
    Failure,
    complete,
    fail,
    finished,
    reap_expired,
    release,
    renew,
)
from newsarchive.storage.frontier.queueing import (
    REDISCOVER_FAILED_AFTER,
    TEMPORARY_REASONS,
    Candidate,
    EnqueueResult,
    enqueue,
    enqueue_rechecks,
)
from newsarchive.storage.frontier.table import CHUNK, RETRY_BASE_SECONDS, Policy

__all__ = [
    "CHUNK", "CLAIM_AHEAD_SECONDS", "FETCHED_OUTCOMES", "REDISCOVER_FAILED_AFTER",
    "RETRY_BASE_SECONDS", "RETRY_MAX_SECONDS", "TEMPORARY_REASONS",
    "Candidate", "Claimed", "EnqueueResult", "Failure", "Policy",
    "claim", "complete", "enqueue", "enqueue_rechecks", "fail", "finished", "get",
    "next_wakeup", "pending", "reap_expired", "release", "renew", "run_outcomes",
]
