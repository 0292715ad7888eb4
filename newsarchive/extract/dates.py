"""Published and modified dates: every candidate with its source, the first sane one wins.

A wrong date is worse than none (it reorders the archive), so each candidate is
checked: not after the fetch (plus clock slack), not before the web existed. The
winning source is recorded so a wrong date can be traced to where it came from.

The order: the article's JSON-LD, meta tags, the page's JSON-LD, <time> tags, a feed's
hint, the URL; then the visible text: a labelled "Published ..." line, the date shown
next to the headline, htmldate. The headline's date also settles two doubtful stated
dates (see _settle_by_headline).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.metadata import PageMeta
from newsarchive.extract.patching import patched
from newsarchive.extract.text import merged_spans
from newsarchive.timeutil import aware_utc

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
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2]|[^\W\d_]{3,10})/")
#: month words (full and short) by month, in English, German, French, Spanish, Italian,
#: Portuguese and Dutch: the languages whose visible dates are read
_MONTH_WORDS = (
    "january jan januar jänner janvier janv enero ene gennaio gen janeiro januari",
    "february feb februar février fevrier févr fevr febrero febbraio fevereiro fev februari",
    "march mar märz mrz mars marzo março marco maart mrt",
    "april apr avril avr abril abr aprile",
    "may mai mayo maggio mag maio mei",
    "june jun juni juin junio giugno giu junho",
    "july jul juli juillet juil julio luglio lug julho",
    "august aug août aout agosto ago augustus",
    "september sep sept septembre septiembre setiembre settembre set setembro",
    "october oct oktober okt octobre octubre ottobre ott outubro out",
    "november nov novembre noviembre novembro",
    "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro",
)
_MONTHS = {word: month for month, words in enumerate(_MONTH_WORDS, 1) for word in words.split()}
#: "February 23, 2026", "Feb. 23 2026", "23 February 2026", "23. März 2026", "23 de marzo de
#: 2026": how <time> tags without datetime and visible datelines read
_WRITTEN_DATE = (r"(?:(?P<m1>[^\W\d_]{3,10})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?"
                 r"|(?P<d2>\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(?P<m2>[^\W\d_]{3,10})\.?,?(?:\s+de)?)"
                 r"\s+(?P<y>(?:19|20)\d{2})")
_WRITTEN = re.compile(rf"^(?:[^\W\d_]+,?\s+)?{_WRITTEN_DATE}$")
#: a visible "Published March 9, 2026" / "Posted on 18 Dec 2025": the page's own words for its
#: date, read before htmldate's guesses among every date a page holds (WCXB: right on all 16
#: pages with no stated date that carry one, htmldate on 13 of them)
_LABELLED = re.compile(
    r">[^<]{0,40}?\b(?:first |originally )?(?:published|posted|publication date|date published)"
    r"(?:\s+on)?\s*:?(?:\s|&nbsp;|<[^>]{0,200}>)*(?:on(?:\s|&nbsp;)+)?"
    r"((?:[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?|\d{1,2}(?:st|nd|rd|th)?\.?\s+[A-Za-z]{3,9}\.?,?)"
    r"\s+(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})\b", re.I)
_H1_OPEN = re.compile(r"<h1\b[^<>]{0,2000}>", re.I)
_H1_CLOSE = re.compile(r"</h1\s*>", re.I)
#: a headline has a few words (a logo's <h1> has one or two), and not thousands of characters
MIN_HEADLINE_WORDS = 3
MAX_HEADLINE_HTML = 3000
#: the first <h1>s a headline is looked for among (bounds the work on hostile pages)
MAX_H1_TRIED = 10
_TAG = re.compile(r"<[^>]*>")
#: a date in a page's text: written out, or in numbers (2026-03-09, 2026/3/9, 9.3.2026, 3/9/2026, 2026年3月9日)
_TEXT_DATE = re.compile(
    rf"(?<![\w/.-])(?:{_WRITTEN_DATE}|(?P<y2>(?:19|20)\d{{2}})(?P<s1>[-/.])(?P<m3>\d{{1,2}})(?P=s1)(?P<d3>\d{{1,2}})"
    r"|(?P<a>\d{1,2})(?P<s2>[-/.])(?P<b>\d{1,2})(?P=s2)(?P<y3>(?:19|20)\d{2})"
    r"|(?P<y4>(?:19|20)\d{2})\s*年\s*(?P<m4>\d{1,2})\s*月\s*(?P<d4>\d{1,2})\s*日)(?![\w/-])")
#: words that make the date after them a revision's, not the publication's
_REVISED = re.compile(r"(?:updated|modified|reviewed|edited|revised|aktualisiert|actualizado|actualisé|mis à jour"
                      r"|atualizado|aggiornato|bijgewerkt)\W*(?:on|am|le|el|em|il|op)?\W*$", re.I)
#: how far from the headline a dateline stands: text characters before it and after it
DATELINE_BEFORE = 150
DATELINE_AFTER = 400
#: HTML characters scanned to find those (markup runs ~10x the text around a headline)
_HTML_PER_TEXT = 12
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
    return aware_utc(dt)


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
    return _written_day(m) if m else None


def _written_day(m: re.Match[str]) -> datetime | None:
    """The day a match of ``_WRITTEN_DATE``'s groups names; None for a word that is no month
    or a day the month does not have."""
    month = _MONTHS.get((m["m1"] or m["m2"]).lower())
    if month is None:
        return None
    try:
        return datetime(int(m["y"]), month, int(m["d1"] or m["d2"]))
    except ValueError:
        return None


def is_sane(dt: datetime, fetched_at: datetime | None) -> bool:
    now = aware_utc(fetched_at or datetime.now(UTC))
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
                hints: dict[str, Any], kind: str) -> Iterator[tuple[str, Any]]:
    """The stated dates in the order they are trusted; lazy, as the first sane one is taken
    (most pages state one in JSON-LD or meta: the <time> tags are then never searched)."""
    art = page.ld.article or {}
    ld_key = "datePublished" if kind == "published" else "dateModified"
    cands: list[tuple[str, Any]] = [("json-ld", art.get(ld_key))]
    if kind == "published":
        cands.append(("json-ld", art.get("dateCreated")))
    for key in (_PUBLISHED_META if kind == "published" else _MODIFIED_META):
        cands.append(("meta", page.meta.get(key)))
    # after the article's own statements: a page's date is the post's only when nothing better says
    cands.append(("json-ld page", page.ld.page_dates.get(ld_key)))
    yield from ((s, v) for s, v in cands if v)
    yield from (("time", v) for v in _time_tags(tree, kind))
    hint = hints.get(f"{kind}_at")
    if hint:
        yield str(hints.get("source") or "hint"), hint
    if kind == "published" and (from_url := _url_date(url)):
        yield "url", from_url


def find_dates(page: PageMeta, tree: LexborHTMLParser, url: str | None,
               fetched_at: datetime | None, hints: dict[str, Any],
               html_text: Callable[[], str]) -> tuple[datetime | None, datetime | None, dict[str, str]]:
    """(published, modified, {field: source}); rejected candidates are noted too.

    ``html_text`` gives the page for the visible datelines and htmldate, read only when no
    stated date is sane or a stated one is in doubt (see _settle_by_headline).
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

    def shown() -> datetime | None:
        return _headline_date(html_text(), page.html_lang, url, fetched_at)

    _settle_by_headline(found, sources, tree, fetched_at, shown)
    if found["published"] is None:
        dt = _labelled_date(html_text(), url, fetched_at) or shown()
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


def _settle_by_headline(found: dict[str, datetime | None], sources: dict[str, str],
                        tree: LexborHTMLParser, fetched_at: datetime | None,
                        shown: Callable[[], datetime | None]) -> None:
    """Two doubtful published dates, settled by the date ``shown`` at the headline:

    - metadata that stamps the same day as published and modified may stamp the last save
      on both: a dateline showing an earlier day is the publication;
    - <time> tags that name different days (a sidebar's list of posts before the article's
      own): the one whose day the dateline shows, else the first as before.
    """
    pub, mod, source = found["published"], found["modified"], sources.get("published_at")
    if pub is not None and mod is not None and pub.date() == mod.date() and source in ("json-ld", "meta"):
        if (day := shown()) is not None and day.date() < pub.date():
            found["published"], sources["published_at"] = day, "dateline"
    elif source == "time":
        times = [dt for dt in map(parse_date, _time_tags(tree, "published"))
                 if dt is not None and is_sane(dt, fetched_at)]
        if len({dt.date() for dt in times}) > 1 and (day := shown()) is not None:
            found["published"] = next((dt for dt in times if dt.date() == day.date()), pub)


def _labelled_date(html_text: str, url: str | None,
                   fetched_at: datetime | None) -> datetime | None:
    """The first sane date the page's text (scripts and styles gone) introduces as its
    publication date; tags may stand between the label and the date. A URL that names the
    month (/2025/12/) must agree."""
    return _first_fitting((_written_date(m[1]) or m[1] for m in _LABELLED.finditer(html_text)), url, fetched_at)


def _url_month(url: str | None) -> tuple[int, int] | None:
    """(year, month) a URL's path names: /2025/12/ or /2025/december/."""
    for m in _URL_MONTH.finditer(url or ""):
        month = int(m[2]) if m[2].isdigit() else _MONTHS.get(m[2].lower())
        if month:
            return int(m[1]), month
    return None


def _first_fitting(values: Iterable[str | datetime], url: str | None,
                   fetched_at: datetime | None) -> datetime | None:
    """The first sane date of ``values`` (aware; naive read as UTC) in the month a URL names."""
    month = _url_month(url)
    for value in values:
        dt = parse_date(value)
        if dt is not None and is_sane(dt, fetched_at) and (month is None or (dt.year, dt.month) == month):
            return dt
    return None


def _headline_date(html_text: str, lang: str | None, url: str | None,
                   fetched_at: datetime | None) -> datetime | None:
    """The date written next to the headline (a byline's "Jane Doe · March 9, 2026", a
    kicker's "Feb 4, 2025 - 11 minutes"): of the page's many dates, the one laid out as the
    article's. The nearest one within a few lines either side wins, a revision's
    ("Updated March 9, 2026") excepted; a URL that names the month must agree."""
    h1 = _headline(html_text)
    if h1 is None:
        return None
    start, end = h1
    before = _TAG.sub(" ", html_text[max(start - DATELINE_BEFORE * _HTML_PER_TEXT, 0):start])
    after = _TAG.sub(" ", html_text[end:end + DATELINE_AFTER * _HTML_PER_TEXT])
    before, after = " ".join(before.split())[-DATELINE_BEFORE:], " ".join(after.split())[:DATELINE_AFTER]
    found: list[tuple[int, bool, datetime]] = []
    day_first = cache(partial(_day_first, html_text, lang))
    for text, is_after in ((before, False), (after, True)):
        for m in _TEXT_DATE.finditer(text):
            if _REVISED.search(text, max(m.start() - 40, 0), m.start()):
                continue
            distance = m.start() if is_after else len(text) - m.end()
            found += [(distance, not is_after, dt) for dt in _text_dates(m, day_first)]
    # the nearest first; at equal distance the one below the headline (a byline's)
    return _first_fitting((dt for *_, dt in sorted(found, key=lambda f: f[:2])), url, fetched_at)


def _headline(html_text: str) -> tuple[int, int] | None:
    """Where the headline's <h1> element starts and ends in the page."""
    for tried, h1 in enumerate(_H1_OPEN.finditer(html_text)):
        if tried >= MAX_H1_TRIED:
            break
        close = _H1_CLOSE.search(html_text, h1.end(), h1.end() + MAX_HEADLINE_HTML)
        if close and len(_TAG.sub(" ", html_text[h1.end():close.start()]).split()) >= MIN_HEADLINE_WORDS:
            return h1.start(), close.end()
    return None


def _text_dates(m: re.Match[str], day_first: Callable[[], bool]) -> list[datetime]:
    """The days a _TEXT_DATE match may name, the likelier first: 3/9/2026 reads both ways,
    9.3.2026 only day first."""
    if m["y"]:
        return [day] if (day := _written_day(m)) is not None else []
    if m["y2"]:
        ymd = [(int(m["y2"]), int(m["m3"]), int(m["d3"]))]
    elif m["y4"]:
        ymd = [(int(m["y4"]), int(m["m4"]), int(m["d4"]))]
    else:
        y, a, b = int(m["y3"]), int(m["a"]), int(m["b"])
        ymd = [(y, b, a)] if m["s2"] == "." else [(y, b, a), (y, a, b)] if day_first() else [(y, a, b), (y, b, a)]
    out = []
    for y, mo, d in ymd:
        try:
            out.append(datetime(y, mo, d))
        except ValueError:
            continue
    return out


#: a date in numbers with slashes or dashes, day or month first
_SLASHED = re.compile(r"(?<![\w/.-])(\d{1,2})[/-](\d{1,2})[/-](?:19|20)\d{2}(?![\w/-])")


def _day_first(html_text: str, lang: str | None) -> bool:
    """Whether the page writes 3/9/2026 day first: one of its dates with a number over 12
    settles it (a template writes them all alike), else its language (month first in US
    English and in English without a region, as most such pages are American)."""
    for m in _SLASHED.finditer(html_text):
        if int(m[1]) > 12 >= int(m[2]):
            return True
        if int(m[2]) > 12 >= int(m[1]):
            return False
    return (lang or "").lower().replace("_", "-") not in ("en", "en-us")


def _htmldate(html_text: str, url: str | None, fetched_at: datetime | None) -> datetime | None:
    """Last resort: htmldate reads visible datelines and other cues in the page.

    A URL that names the month (/2025/12/) bounds the search to that month.
    """
    latest = fetched_at or datetime.now(UTC)
    earliest: datetime | None = None
    month = _url_month(url)
    if month:
        earliest = datetime(*month, 1)
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
    with patched(_HTMLDATE_LOCK, [(extractors, "_external_date", _no_external_date),
                                  (extractors, "has_date_cue", _no_date_cue),
                                  (core, "search_page", _written_dates_only)]):
        yield


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
