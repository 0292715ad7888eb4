"""One reading of a naive datetime (UTC), shared by every layer through ``timeutil``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from newsarchive.discover.candidates import parse_w3c_datetime
from newsarchive.extract import ExtractOptions, extract
from newsarchive.extract.dates import is_sane, parse_date
from newsarchive.fetch.client import parse_retry_after
from newsarchive.storage.article_query import parse_instant
from newsarchive.timeutil import as_utc, aware_utc
from tests.pages import lorem_paragraphs, publisher_page

PACKAGE = Path(__file__).resolve().parents[1] / "newsarchive"
#: the modules that may look at a datetime's zone themselves: the helper, and the models,
#: which import nothing of ours (their column type stores aware times as naive UTC)
ZONE_READERS = {"timeutil.py", "models.py"}
PLUS_TWO = timezone(timedelta(hours=2))


def test_a_naive_time_is_read_as_utc_and_an_aware_one_kept() -> None:
    naive = datetime(2024, 5, 1, 8, 0)
    assert aware_utc(naive) == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    paris = datetime(2024, 5, 1, 10, 0, tzinfo=PLUS_TWO)
    assert aware_utc(paris) is paris  # its own offset stays, as every caller expects
    assert as_utc(paris).tzinfo is UTC and as_utc(paris) == aware_utc(naive)
    assert as_utc(naive) == aware_utc(naive)


def test_every_layer_reads_a_naive_time_the_same_way() -> None:
    utc8 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert parse_date("2024-05-01T08:00:00") == utc8  # extract
    assert parse_date("2024-05-01T10:00:00+02:00") == utc8
    assert parse_w3c_datetime("2024-05-01T08:00:00") == utc8  # discover
    assert parse_instant("2024-05-01T08:00:00", "since") == utc8  # storage
    # fetch: a Retry-After date without a zone ("-0000") is UTC, not the machine's zone
    assert parse_retry_after("Wed, 01 May 2024 08:00:10 -0000", now=utc8.timestamp()) == 10.0
    # a naive fetch time bounds dates as UTC (with a day's slack for clock skew)
    fetched = datetime(2024, 5, 1, 8, 0)
    assert is_sane(utc8 + timedelta(hours=23), fetched)
    assert not is_sane(utc8 + timedelta(hours=25), fetched)


def test_a_page_with_a_naive_date_gets_it_in_utc() -> None:
    page = publisher_page("Harbour plan approved", lorem_paragraphs(4), published="2024-05-01 08:00:00")
    record = extract(page, "https://news.example/story",
                     ExtractOptions(fetched_at=datetime(2024, 5, 2, 0, 0)))
    assert record.published_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def test_no_module_reads_a_zone_itself() -> None:
    """A new copy of the naive-means-UTC rule goes to ``timeutil`` instead."""
    copies = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py") if path.name not in ZONE_READERS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.tzinfo\b", line)
    ]
    assert copies == []
