"""Stream the archive out as JSON Lines, CSV or WARC 1.1, in constant memory.

Articles are read in keyset batches (``storage.article_batches.iter_articles``) and each
format yields bytes as it goes, so ``newsarchive export`` and ``GET /api/export``
can write an archive of any size. The WARC holds, per article, the archived
request and response of every capture (the body as stored, decoded: its
``Content-Encoding`` and ``Transfer-Encoding`` headers are renamed
``X-Archive-Orig-*`` so readers do not try to decode it again) and a ``metadata``
record with the Article JSON, concurrent to the latest response.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive import __version__
from newsarchive.errors import InvalidQuery
from newsarchive.models import Article, Capture
from newsarchive.storage.article_batches import iter_articles
from newsarchive.storage.article_query import ArticleQuery
from newsarchive.storage.article_reads import captures_of
from newsarchive.storage.articles import to_public
from newsarchive.storage.blobs import decompress
from newsarchive.storage.db import Database

FORMATS = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "warc": "application/warc",
}
CSV_FIELDS = ("id", "url", "canonical_url", "source_id", "site_name", "title", "authors",
              "published_at", "language", "word_count", "access", "fetched_at", "updated_at",
              "version", "duplicate_of", "content_hash", "description")
#: headers of a stored body that no longer describe it (it is kept decoded and whole)
_STALE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidQuery("format", f"must be one of {', '.join(FORMATS)}")
    return fmt


def export(db: Database, query: ArticleQuery, fmt: str) -> Iterator[bytes]:
    """The archive (what ``query``'s filters select) in ``fmt``, as chunks of bytes."""
    check_format(fmt)
    selected = iter_articles(db, query)
    first = next(selected, None)  # reach the database now: an outage fails before any byte
    articles = itertools.chain([first] if first is not None else [], selected)
    if fmt == "jsonl":
        return _jsonl(articles)
    if fmt == "csv":
        return _csv(articles)
    return _warc(db, articles)


def _jsonl(articles: Iterator[Article]) -> Iterator[bytes]:
    for article in articles:
        yield to_public(article).model_dump_json().encode() + b"\n"


def _csv(articles: Iterator[Article]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for article in articles:
        record = to_public(article).model_dump(mode="json")
        record["authors"] = "; ".join(record["authors"])
        writer.writerow(["" if record[f] is None else record[f] for f in CSV_FIELDS])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def _warc(db: Database, articles: Iterator[Article]) -> Iterator[bytes]:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")

    def drain() -> bytes:
        data = out.getvalue()
        out.seek(0)
        out.truncate()
        return data

    info = {"software": f"newsarchive/{__version__}", "format": "WARC File Format 1.1",
            "created": datetime.now(UTC).isoformat()}
    writer.write_record(writer.create_warcinfo_record("newsarchive-export.warc.gz", info))
    yield drain()
    for article in articles:
        with db.read() as session:
            captures = captures_of(session, article.id or 0)
        response_id = None
        for capture in captures:
            response = _response_record(writer, capture)
            response_id = response.rec_headers.get_header("WARC-Record-ID")
            writer.write_record(_request_record(writer, capture, response_id))
            writer.write_record(response)
        writer.write_record(_metadata_record(writer, article, response_id))
        yield drain()


def _date(capture: Capture) -> str:
    stamp = capture.fetched_at or datetime.now(UTC)
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _response_record(writer: WARCWriter, capture: Capture):  # type: ignore[no-untyped-def]
    body = decompress(capture.body, capture.body_encoding)
    headers = []
    for name, value in capture.headers or []:
        if str(name).lower() in _STALE_HEADERS:
            name = f"X-Archive-Orig-{name}"
        headers.append((str(name), str(value)))
    headers.append(("Content-Length", str(len(body))))
    http = StatusAndHeaders(f"{capture.status} {_reason(capture.status)}", headers,
                            protocol="HTTP/1.1")
    return writer.create_warc_record(
        capture.final_url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": _date(capture),
                           **({"WARC-IP-Address": capture.ip_address}
                              if capture.ip_address else {})})


def _request_record(writer: WARCWriter, capture: Capture, response_id: str | None):  # type: ignore[no-untyped-def]
    from urllib.parse import urlsplit

    parts = urlsplit(capture.final_url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [(str(n), str(v)) for n, v in capture.request_headers or []]
    if not any(n.lower() == "host" for n, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    http = StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)
    extra = {"WARC-Date": _date(capture)}
    if response_id:
        extra["WARC-Concurrent-To"] = response_id
    return writer.create_warc_record(capture.final_url, "request", payload=io.BytesIO(b""),
                                     length=0, http_headers=http, warc_headers_dict=extra)


def _metadata_record(writer: WARCWriter, article: Article, response_id: str | None):  # type: ignore[no-untyped-def]
    payload = to_public(article).model_dump_json().encode()
    extra = {"WARC-Concurrent-To": response_id} if response_id else {}
    return writer.create_warc_record(
        article.canonical_url, "metadata", payload=io.BytesIO(payload), length=len(payload),
        warc_content_type="application/json", warc_headers_dict=extra)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
