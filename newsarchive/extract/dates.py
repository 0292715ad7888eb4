"""Published and modified dates: every candidate with its source, the first sane one wins.

A wrong date is worse than none (it reorders the archive), so each candidate is
checked: not after the fetch (plus clock slack), not before the web existed. The
winning source is recorded so a wrong date can be traced to where it came from.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.metadata import PageMeta
from newsarchive.extract.text import merged_spans

#: nothing on the web predates the first web page (1991-08-06)
WEB_EPOCH = datetime(1991, 8, 6, tzinfo=UTC)
#: a date a little after the fetch is time-zone or clock skew, not a future date
CLOCK_SLACK = timedelta(days=1)

_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                   "published_time", "article.published", "pubdate", "publishdate",
                   "publish-date", "publish_date", "date", "dc.date.issued", "dc.date",
                   "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
                   "citation_publication_date", "citation_date", "article_date_original",
                   "cxenseparse:recs:publishtime", "originalpublicationdate", "og:pubdate")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified",
                  "article:updated_time", "last-modified", "dcterms.modified", "modified_time")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")
_MONTHS = {name: i for i, full in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), 1) for name in (full, full[:3])} | {"sept": 9}
#: "February 23, 2026", "Feb. 23 2026", "23 February 2026": how <time> tags without datetime read
_WRITTEN = re.compile(r"^(?:[A-Za-z]+,?\s+)?(?:(?P<m1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?"
                      r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?P<m2>[A-Za-z]{3,9})\.?,?)\s+(?P<y>(?:19|20)\d{2})$")
#: a visible "Published March 9, 2026" / "Posted on 18 Dec 2025": the page's own words for its
#: date, read before htmldate's guesses among every date a page holds (WCXB: right on all 16
#: pages with no stated date that carry one, htmldate on 13 of them)
_LABELLED = re.compile(
    r">[^<]{0,40}?\b(?:first |originally )?(?:published|posted|publication date|date published)"
    r"(?:\s+on)?\s*:?(?:\s|&nbsp;|<[^>]{0,200}>)*(?:on(?:\s|&nbsp;)+)?"
    r"((?:[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?|\d{1,2}(?:st|nd|rd|th)?\.?\s+[A-Za-z]{3,9}\.?,?)"
    r"\s+(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})\b", re.I)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime from ISO 8601 and its common variants (naive = UTC)."""
    dt: datetime | None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            dt = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str):
        dt = _parse_text(value.strip())
        if dt is None:
            return None
    else:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _parse_text(text: str) -> datetime | None:
    if not text or len(text) > 64:
        return None
    if text.isdigit() and len(text) in (10, 13):
        return parse_date(int(text))
    candidate = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    candidate = re.sub(r"\.\d+(?=Z|[+-]|$)", "", candidate)
    try:
        return datetime.fromisoformat(candidate.replace("z", "Z"))
    except ValueError:
        pass
    m = _COMPACT.match(text)
    if m:
        try:
            return datetime.fromisoformat(f"{m[1]}-{m[2]}-{m[3]}T{m[4] or '00'}:{m[5] or '00'}:{m[6] or '00'}{m[7] or ''}")
        except ValueError:
            return None
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _written_date(text: str) -> datetime | None:
    m = _WRITTEN.match(text.strip())
    month = _MONTHS.get((m["m1"] or m["m2"]).lower()) if m else None
    if m is None or month is None:
        return None
    try:
        return datetime(int(m["y"]), month, int(m["d1"] or m["d2"]))
    except ValueError:
        return None


def is_sane(dt: datetime, fetched_at: datetime | None) -> bool:
    now = fetched_at or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return WEB_EPOCH <= dt <= now + CLOCK_SLACK


def _time_tags(tree: LexborHTMLParser, kind: str) -> list[str | datetime]:
    """<time datetime> and itemprop dates in the body, the publishing ones first."""
    prop = "datePublished" if kind == "published" else "dateModified"
    # a visible date is written out ("February 23, 2026"); in metadata such a string is a
    # template's display format, often of another date, so only the page's own text is read so
    out = [n.attributes.get("datetime") or n.attributes.get("content") or _written_date(n.text())
           for n in tree.css(f'[itemprop="{prop}"]')]
    for node in tree.css("time[datetime]"):
        cls = (node.attributes.get("class") or "").lower() + " " + (
            node.parent.attributes.get("class") or "" if node.parent else "").lower()
        is_update = any(w in cls for w in ("updated", "modified"))
        if (kind == "modified") == is_update:
            out.append(node.attributes.get("datetime") or "")
    return [v for v in out if v]


def _url_date(url: str | None) -> str | None:
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m:
        return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    return None


def _candidates(page: PageMeta, tree: LexborHTMLParser, url: str | None,
                hints: dict[str, Any], kind: str) -> list[tuple[str, Any]]:
    art = page.ld.article or {}
    ld_key = "datePublished" if kind == "published" else "dateModified"
    cands: list[tuple[str, Any]] = [("json-ld", art.get(ld_key))]
    if kind == "published":
        cands.append(("json-ld", art.get("dateCreated")))
    for key in (_PUBLISHED_META if kind == "published" else _MODIFIED_META):
        cands.append(("meta", page.meta.get(key)))
    # after the article's own statements: a page's date is the post's only when nothing better says
    cands.append(("json-ld page", page.ld.page_dates.get(ld_key)))
    cands += [("time", v) for v in _time_tags(tree, kind)]
    hint = hints.get(f"{kind}_at")
    if hint:
        cands.append((str(hints.get("source") or "hint"), hint))
    if kind == "published":
        cands.append(("url", _url_date(url)))
    return [(s, v) for s, v in cands if v]


def find_dates(page: PageMeta, tree: LexborHTMLParser, url: str | None,
               fetched_at: datetime | None, hints: dict[str, Any],
               html_text: Callable[[], str]) -> tuple[datetime | None, datetime | None, dict[str, str]]:
    """(published, modified, {field: source}); rejected candidates are noted too.

    ``html_text`` gives the page for htmldate, which runs only when no stated date is sane.
    """
    sources: dict[str, str] = {}
    found: dict[str, datetime | None] = {}
    for kind in ("published", "modified"):
        found[kind] = None
        for source, raw in _candidates(page, tree, url, hints, kind):
            dt = parse_date(raw)
            if dt is None:
                continue
            if not is_sane(dt, fetched_at):
                sources.setdefault(f"{kind}_at_rejected", f"{source}: {dt.isoformat()}")
                continue
            found[kind], sources[f"{kind}_at"] = dt, source
            break
    if found["published"] is None:
        dt = _labelled_date(html_text(), url, fetched_at)
        if dt is not None:
            found["published"], sources["published_at"] = dt, "dateline"
    if found["published"] is None:
        dt = _htmldate(html_text(), url, fetched_at)
        if dt is not None and (dt.month, dt.day) == (1, 1):
            # htmldate's last resort is the copyright line's year, given as 1 January: no day
            sources.setdefault("published_at_rejected", f"text: {dt.date().isoformat()} (a year alone)")
        elif dt is not None:
            found["published"], sources["published_at"] = dt, "text"
    pub, mod = found["published"], found["modified"]
    if pub and mod and mod < pub:
        mod = None
        sources.pop("modified_at", None)
    return pub, mod, sources


def _labelled_date(html_text: str, url: str | None,
                   fetched_at: datetime | None) -> datetime | None:
    """The first sane date the page's text (scripts and styles gone) introduces as its
    publication date; tags may stand between the label and the date. A URL that names the
    month (/2025/12/) must agree."""
    month = _URL_MONTH.search(url or "")
    for m in _LABELLED.finditer(html_text):
        dt = parse_date(_written_date(m[1]) or m[1])  # aware, naive read as UTC
        if dt is not None and is_sane(dt, fetched_at) and (
                month is None or (dt.year, dt.month) == (int(month[1]), int(month[2]))):
            return dt
    return None


def _htmldate(html_text: str, url: str | None, fetched_at: datetime | None) -> datetime | None:
    """Last resort: htmldate reads visible datelines and other cues in the page.

    A URL that names the month (/2025/12/) bounds the search to that month.
    """
    latest = fetched_at or datetime.now(UTC)
    earliest: datetime | None = None
    month = _URL_MONTH.search(url or "")
    if month:
        earliest = datetime(int(month[1]), int(month[2]), 1)
        next_month = (earliest + timedelta(days=32)).replace(day=1)
        latest = min(latest.replace(tzinfo=None), next_month - timedelta(days=1))
    try:
        from htmldate import find_date

        with _lean_htmldate():
            value = find_date(html_text, url=url, original_date=True, extensive_search=True,
                              outputformat="%Y-%m-%d", min_date=earliest,
                              max_date=latest.strftime("%Y-%m-%d"))
    except Exception:  # noqa: BLE001  (a helper library must not break the promise)
        return None
    dt = parse_date(value) if value else None
    return dt if dt is not None and is_sane(dt, fetched_at) else None


#: htmldate's fallbacks are swapped module-wide, so one call at a time sees them swapped
_HTMLDATE_LOCK = threading.Lock()
#: the private htmldate names the swaps need; without any of them htmldate runs as shipped
_HTMLDATE_NAMES = ("search_page", "search_pattern", "regex_parse", "_finalize_candidate", "is_valid_date",
                   "COPYRIGHT_PATTERN", "YEAR_PATTERN")
#: the same for its extractors module (the written-date search reads its pattern's parts)
_HTMLDATE_EXTRACTOR_NAMES = ("_external_date", "has_date_cue", "regex_parse", "YEAR_RE")


@contextmanager
def _lean_htmldate() -> Iterator[None]:
    """Two of htmldate's fallbacks cut, for our calls only:

    - dateparser: htmldate hands odd strings ("2019;28(12):2257") to it, which compiles regexes
      for ~200 locales: 75% of htmldate's CPU on WCXB dev pages, and not one date found there
      that the rest of htmldate missed. Its gate, ``has_date_cue``, is cut with it: with no
      parser behind it the gate's answer changes nothing, and its first call loads every
      dateparser locale's month names (~0.35 s of CPU in each process);
    - the numeric patterns of its page-wide search (2025-10-13, 20251013, 13/10/25, 2025-10):
      on the 1,497 WCXB pages they gave 85 dates and none right (numbers of links and IDs, other
      posts' dates), while the written-out dates it reads last ("October 13, 2025") gave all 3
      right ones; their scans of the whole page were ~60% of htmldate's CPU.
    """
    try:
        from htmldate import core, extractors
    except ImportError:  # pragma: no cover
        yield
        return
    if not all(hasattr(extractors, name) for name in _HTMLDATE_EXTRACTOR_NAMES) or not all(
            hasattr(core, name) for name in _HTMLDATE_NAMES):  # pragma: no cover  (private names moved)
        yield
        return
    with _HTMLDATE_LOCK:
        external, cue, search_page = extractors._external_date, extractors.has_date_cue, core.search_page
        extractors._external_date, extractors.has_date_cue = _no_external_date, _no_date_cue
        core.search_page = _written_dates_only
        try:
            yield
        finally:
            extractors._external_date, extractors.has_date_cue, core.search_page = external, cue, search_page


def _no_external_date(string: str) -> datetime | None:  # noqa: ARG001  (same signature)
    return None


def _no_date_cue(string: str, min_date: datetime, max_date: datetime) -> bool:  # noqa: ARG001
    """htmldate's gate before dateparser (same signature): closed, as there is no parser behind it."""
    return False


def _written_dates_only(htmlstring: str, options: Any) -> str | None:
    """htmldate's page search (same signature) kept to the copyright year, which floors the
    date and is its last answer, and the first written-out date of the page."""
    from htmldate import core

    copyright_year = 0
    best = core.search_pattern(htmlstring, core.COPYRIGHT_PATTERN, core.YEAR_PATTERN,
                               core.YEAR_PATTERN, options)
    if best is not None and core.is_valid_date(datetime(int(best[1]), 1, 1), "%Y",
                                               earliest=options.min, latest=options.max):
        copyright_year = int(best[1])
    result: str | None = core._finalize_candidate(_first_written_date(htmlstring), copyright_year, options)
    if result is None and copyright_year:
        result = datetime(copyright_year, 1, 1).strftime(options.format)
    return result


#: htmldate's written-out date (LONG_TEXT_PATTERN) ends in a space and a year; before the year
#: stand at most 6 characters after the month word ("\\s12th,") and at most 8 before it ("12th of ")
_AFTER_MONTH_WORD = 7
_BEFORE_MONTH_WORD = 8
_LETTER = re.compile(r"[^\W\d_]")  # what htmldate's month word is made of


def _first_written_date(text: str) -> datetime | None:
    """``htmldate``'s ``regex_parse`` (the first written-out date of the page), read only in
    the stretches that can hold one: its pattern is tried at every word of the page, most of
    the page search's CPU, while a match must end in a space and a year.

    Every match ends at such a year and starts no earlier than the month word's letters plus
    the fixed parts around them; the stretches start where a letter run starts (the pattern's
    look-behind sees the same) and overlapping ones are merged, so each holds exactly the
    matches of the whole text that lie in it, in the same order: the same first date.
    """
    from htmldate import extractors

    spans: list[tuple[int, int]] = []
    for m in re.finditer(" " + extractors.YEAR_RE, text):
        start = _letters_before(text, max(m.start() - _AFTER_MONTH_WORD, 0))
        start = _letters_before(text, max(start - _BEFORE_MONTH_WORD, 0))
        spans.append((start, m.end()))
    for start, end in merged_spans(spans):
        found: datetime | None = extractors.regex_parse(text[start:end])
        if found is not None:
            return found
    return None


def _letters_before(text: str, at: int) -> int:
    """``at`` moved back to the start of the letter run it sits in (or just after)."""
    while at > 0 and _LETTER.match(text, at - 1):
        at -= 1
    return at
