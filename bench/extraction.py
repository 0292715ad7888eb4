"""Extraction benchmark: newsarchive vs bare trafilatura vs readability-lxml, same pages, same run.

Reads the WCXB dev split (../shared/data/wcxb-dev, or $NEWSARCHIVE_WCXB) and the
golden corpus (tests/corpus). Body scoring follows the public benchmarks: lower-case
``\\w+`` tokens, 4-token shingles counted with repeats; precision averaged over pages
with output, recall over all pages, F1 from the two averages.

    .venv/bin/python bench/extraction.py [--limit N] [--subset all|dev|holdout] [--procs 2]

The dev/holdout split is by file number (even = dev, odd = holdout), so tuning on
``--subset dev`` can be checked on pages it never saw.

Two date figures. ``date``: same calendar day as the ground truth, over articles whose
ground truth has a date. ``date_stated``: the same, over those articles whose ground-truth
day is *stated in the page*, as the issue's target reads ("articles that state them"): a
ground truth nowhere in the page cannot be read from it. "Stated" is mechanical and
generous (so the figure is strict): the day appears in the raw HTML or the URL as
2026-03-09 / 2026/03/09 / 2026.03.09 (zero padding optional), 20260309, 9.3.2026 / 9/3/2026
/ 9-3-2026 and the month-first 3/9/2026 (four- or two-digit year), 2026年3月9日 / 2026년 3월 9일,
a written date in either order with or without weekday, ordinal, "of"/"de", commas and tags
between ("March 9, 2026", "9th Mar. 2026", "9. März 2026", "9 de marzo de 2026",
"9 марта 2026"; month names in English, German, French, Spanish, Italian, Portuguese,
Dutch, Russian), or epoch seconds or milliseconds falling on that day in some time zone
(UTC-12 to UTC+14). Each table prints how many dated articles this leaves out.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "wcxb-dev"
CORPUS = ROOT / "tests" / "corpus"
EXTRACTORS = ("newsarchive", "trafilatura", "readability")
#: the extractors this run measures (``--extractors``); set in each pool process
ACTIVE: tuple[str, ...] = EXTRACTORS
#: below this many words an extractor's output is taken to mean "not an article"
MIN_ARTICLE_WORDS = 40

Result = dict[str, Any]


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", (text or "").lower())


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def body_scores(predicted: str, expected: str) -> tuple[float | None, float]:
    """(precision or None when nothing was extracted, recall)."""
    pred, gold = shingles(predicted), shingles(expected)
    shared = sum((pred & gold).values())
    precision = shared / sum(pred.values()) if pred else None
    recall = shared / sum(gold.values()) if gold else 0.0
    return precision, recall


def _key(text: str | None) -> str:
    return " ".join(tokens(text or ""))


def title_ok(predicted: str | None, expected: str) -> bool:
    return bool(predicted) and _key(predicted) == _key(expected)


def author_ok(predicted: list[str], expected: str) -> bool:
    """The first named author matches the first expected name (credentials ignored)."""
    if not predicted:
        return False
    first = re.split(r",|\band\b|&|;", expected)[0]
    return _key(predicted[0]) == _key(first) or _key(" and ".join(predicted)) == _key(expected)


def date_ok(predicted: str | None, expected: str) -> bool:
    return bool(predicted) and str(predicted)[:10] == expected[:10]


#: month names (1..12; "|" between variants) of the languages a written date is looked for in
_MONTH_TABLES = (
    "january|jan,february|feb,march|mar,april|apr,may,june|jun,july|jul,august|aug,"
    "september|sep|sept,october|oct,november|nov,december|dec",
    "januar|jänner|jan,februar|feb,märz|maerz|mär|mrz,april|apr,mai,juni|jun,juli|jul,august|aug,"
    "september|sep|sept,oktober|okt,november|nov,dezember|dez",
    "janvier|janv,février|fevrier|févr|fevr|fév,mars,avril|avr,mai,juin,juillet|juil,août|aout,"
    "septembre|sept,octobre|oct,novembre|nov,décembre|decembre|déc",
    "enero|ene,febrero|feb,marzo|mar,abril|abr,mayo|may,junio|jun,julio|jul,agosto|ago,"
    "septiembre|setiembre|sep|sept,octubre|oct,noviembre|nov,diciembre|dic",
    "gennaio|gen,febbraio|feb,marzo|mar,aprile|apr,maggio|mag,giugno|giu,luglio|lug,agosto|ago,"
    "settembre|set,ottobre|ott,novembre|nov,dicembre|dic",
    "janeiro|jan,fevereiro|fev,março|marco|mar,abril|abr,maio|mai,junho|jun,julho|jul,agosto|ago,"
    "setembro|set,outubro|out,novembro|nov,dezembro|dez",
    "januari|jan,februari|feb,maart|mrt,april|apr,mei,juni|jun,juli|jul,augustus|aug,"
    "september|sep,oktober|okt,november|nov,december|dec",
    "января|январь|янв,февраля|февраль|фев,марта|март|мар,апреля|апрель|апр,мая|май,июня|июнь|июн,"
    "июля|июль|июл,августа|август|авг,сентября|сентябрь|сен,октября|октябрь|окт,ноября|ноябрь|ноя,"
    "декабря|декабрь|дек",
)
_MONTH_NAMES: list[set[str]] = [set() for _ in range(13)]
for _table in _MONTH_TABLES:
    for _month, _names in enumerate(_table.split(","), 1):
        _MONTH_NAMES[_month].update(_names.split("|"))
#: what may stand between the parts of a written date: spaces, punctuation, "of"/"de", tags
_GAP = r"(?:[\s,./-]|&nbsp;|&#160;|\bde\b|\bof\b|<[^<>]{0,200}>){1,12}"
_EPOCH = re.compile(r"(?<!\d)(1\d{9})(?:\d{3})?(?!\d)")
#: a local calendar day runs from 14 h before to 12 h after the UTC day (UTC+14 .. UTC-12)
_EARLIEST_ZONE, _LATEST_ZONE = timedelta(hours=14), timedelta(hours=36)


def _stated_pattern(day: datetime) -> re.Pattern[str]:
    """The ways a page may write ``day`` (see the module docstring)."""
    y, m, d = day.year, day.month, day.day
    yy, dd, mm = f"{y % 100:02d}", f"0?{d}", f"0?{m}"
    month = "|".join(sorted(map(re.escape, _MONTH_NAMES[m]), key=len, reverse=True))
    word_day = rf"0?{d}(?:st|nd|rd|th|er|º|\.)?"
    return re.compile("|".join((
        rf"(?<!\d){y}([-/.]|\s*年\s*|\s*년\s*){mm}(?:\1|\s*月\s*|\s*월\s*){dd}(?!\d)",
        rf"(?<!\d){y}{m:02d}{d:02d}(?!\d)",
        rf"(?<![\d./-]){dd}([-/.])\s?{mm}\2\s?(?:{y}|{yy})(?!\d)",
        rf"(?<![\d./-]){mm}([-/.]){dd}\3(?:{y}|{yy})(?!\d)",
        rf"(?<!\w){word_day}{_GAP}(?:{month})\.?{_GAP}{y}(?!\d)",
        rf"(?<!\w)(?:{month})\.?{_GAP}{word_day}{_GAP}{y}(?!\d)",
        rf"(?<!\d){y}{_GAP}(?:{month})\.?{_GAP}{word_day}(?!\d)",
    )), re.I)


def date_stated(html: str, url: str | None, expected: str) -> bool:
    """Whether the ground-truth day ``expected`` (YYYY-MM-DD...) is written anywhere in the
    page or its URL, in any common format: the pages the ``date_stated`` figure counts."""
    try:
        day = datetime.strptime(expected[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return False
    pattern = _stated_pattern(day)
    if pattern.search(html) or pattern.search(url or ""):
        return True
    earliest, latest = (day - _EARLIEST_ZONE).timestamp(), (day + _LATEST_ZONE).timestamp()
    return any(earliest <= int(m[1]) < latest for m in _EPOCH.finditer(html))


# ---- the three extractors, each returning the same shape --------------------------------

def run_newsarchive(html: str, url: str | None) -> Result:
    from newsarchive.extract import extract

    rec = extract(html, url)
    return {"text": rec.text, "title": rec.title, "authors": rec.authors,
            "date": rec.published_at.isoformat() if rec.published_at else None,
            "is_article": rec.is_article}


def run_trafilatura(html: str, url: str | None) -> Result:
    import trafilatura

    text = trafilatura.extract(html, url=url) or ""
    return {"text": text, "is_article": len(tokens(text)) >= MIN_ARTICLE_WORDS}


def trafilatura_meta(html: str, url: str | None) -> Result:
    """Metadata from trafilatura's own reader (not timed: extract() does not return it)."""
    import trafilatura

    meta = trafilatura.extract_metadata(html, default_url=url)
    if meta is None:
        return {}
    author = meta.author or ""
    return {"title": meta.title, "date": meta.date,
            "authors": [a.strip() for a in re.split(r";|,", author) if a.strip()]}


def run_readability(html: str, url: str | None) -> Result:
    from lxml import html as lxml_html
    from readability import Document

    doc = Document(html, url=url)
    summary = doc.summary(html_partial=True)
    root = lxml_html.fromstring(summary) if summary.strip() else None
    paras = [" ".join(el.text_content().split()) for el in root.iter("p", "li", "h2", "h3", "h4",
                                                                      "blockquote", "pre", "td")] if root is not None else []
    text = "\n\n".join(p for p in paras if p) or (" ".join(root.text_content().split()) if root is not None else "")
    return {"text": text, "title": doc.short_title(),
            "is_article": len(tokens(text)) >= MIN_ARTICLE_WORDS}


RUNNERS: dict[str, Callable[[str, str | None], Result]] = {
    "newsarchive": run_newsarchive, "trafilatura": run_trafilatura, "readability": run_readability}


def evaluate_page(item: tuple[str, str, str | None, dict[str, Any]]) -> dict[str, Any]:
    """Run every extractor on one page; score it against its ground truth."""
    source, html, url, gold = item
    out: dict[str, Any] = {"source": source, "id": gold.get("id"), "type": gold["type"],
                           "date_stated": bool(gold.get("date")) and date_stated(html, url, gold["date"])}
    for name in ACTIVE:
        runner = RUNNERS[name]
        start = time.process_time()
        try:
            res = runner(html, url)
        except Exception as exc:  # noqa: BLE001  (a baseline crashing is a data point)
            res = {"text": "", "is_article": False, "error": repr(exc)}
        elapsed = time.process_time() - start
        if name == "trafilatura":
            try:
                res.update(trafilatura_meta(html, url))
            except Exception:  # noqa: BLE001
                pass
        p, r = body_scores(res.get("text", ""), gold["text"]) if gold["type"] == "article" else (None, 0.0)
        out[name] = {
            "p": p, "r": r, "time": elapsed, "is_article": bool(res.get("is_article")),
            "title": title_ok(res.get("title"), gold["title"]) if gold.get("title") else None,
            "author": author_ok(res.get("authors") or [], gold["author"]) if gold.get("author") else None,
            "date": date_ok(res.get("date"), gold["date"]) if gold.get("date") else None,
            # what was found, for reading the errors of a --dump
            "got": {k: res.get(k) for k in ("title", "date", "authors")},
        }
    return out


# ---- loading ---------------------------------------------------------------------------

def load_wcxb(data: Path, subset: str, limit: int | None):
    files = sorted((data / "ground-truth").glob("*.json"))
    if subset != "all":
        files = [f for f in files if (int(f.stem) % 2 == 0) == (subset == "dev")]
    for f in files[:limit] if limit else files:
        raw = json.loads(f.read_text(encoding="utf-8"))
        gt = raw.get("ground_truth", {})
        html_path = data / "html" / f"{f.stem}.html.gz"
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        yield ("wcxb", html, raw.get("url"), {
            "id": f.stem, "type": raw["_internal"]["page_type"]["primary"],
            "text": gt.get("main_content") or "", "title": gt.get("title"),
            "author": gt.get("author"), "date": gt.get("publish_date")})


def load_corpus(limit: int | None):
    pages = sorted((CORPUS / "pages").glob("*.html"))
    for path in pages[:limit] if limit else pages:
        exp = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        charset = {"shift_jis": "cp932"}.get(exp.get("charset", "utf-8"), exp.get("charset", "utf-8"))
        raw = path.read_bytes().decode(charset, errors="replace")  # baselines need text
        yield ("corpus", raw, exp.get("url"), {
            "id": path.stem, "type": "article" if exp.get("is_article", True) else "other",
            "text": exp.get("text") or "", "title": exp.get("title"),
            "author": ", ".join(exp.get("authors") or []) or None,
            "date": exp.get("published_at")})


# ---- reporting -------------------------------------------------------------------------

def summarise(rows: list[dict[str, Any]], name: str) -> dict[str, float | None]:
    arts = [r for r in rows if r["type"] == "article"]
    ps = [r[name]["p"] for r in arts if r[name]["p"] is not None]
    rs = [r[name]["r"] for r in arts]
    prec = sum(ps) / len(ps) if ps else 0.0
    rec = sum(rs) / len(rs) if rs else 0.0

    def acc(field: str, pages: list[dict[str, Any]] = arts) -> float | None:
        vals = [r[name][field] for r in pages if r[name][field] is not None]
        return sum(vals) / len(vals) if vals else None

    total_time = sum(r[name]["time"] for r in rows)
    return {
        "precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "title": acc("title"), "author": acc("author"), "date": acc("date"),
        "date_stated": acc("date", [r for r in arts if r.get("date_stated")]),
        "page_type": sum((r["type"] == "article") == r[name]["is_article"] for r in rows) / len(rows),
        # the worst page-type error for a crawler: a real article it would not keep
        "missed_articles": sum(not r[name]["is_article"] for r in arts),
        "false_articles": sum(r[name]["is_article"] for r in rows if r["type"] != "article"),
        "pages_per_s": len(rows) / total_time if total_time else None,
    }


def _activate(names: tuple[str, ...]) -> None:
    """Choose the extractors and warm them up, so imports and model loading are not timed."""
    global ACTIVE
    ACTIVE = names
    warm = ("<html lang=en><head><title>Warm up</title></head><body><article><h1>Warm up</h1>"
            + "<p>This paragraph only loads the extractors' modules and models. </p>" * 20
            + "</article></body></html>")
    for name in names:
        RUNNERS[name](warm, "https://example.com/2024/05/01/warm-up")
    if {"newsarchive", "trafilatura"} & set(names):
        # trafilatura's justext fallback loads every stoplist (~0.3 s) the first time a page
        # needs it; the warm-up page never does, so it was charged to whichever extractor
        # reached it first on a real page (usually ours: it runs first on each page)
        from trafilatura.external import jt_stoplist_init

        jt_stoplist_init()


def table(title: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"{title}: no pages\n"
    n_art = sum(r["type"] == "article" for r in rows)
    names = [n for n in EXTRACTORS if n in rows[0]]
    lines = [f"### {title} ({len(rows)} pages, {n_art} articles)", "",
             "| metric | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    sums = {name: summarise(rows, name) for name in names}
    for metric in ("f1", "precision", "recall", "title", "author", "date", "date_stated", "page_type",
                   "missed_articles", "false_articles", "pages_per_s"):
        cells = []
        for name in names:
            v = sums[name][metric]
            cells.append("n/a" if v is None or (metric.startswith(("author", "date")) and name == "readability")
                         else (f"{v:.1f}" if metric == "pages_per_s" else str(v) if isinstance(v, int)
                               else f"{v:.3f}"))
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    dated = [r for r in rows if r["type"] == "article" and r[names[0]]["date"] is not None]
    unstated = sum(not r.get("date_stated") for r in dated)
    lines += ["", f"date_stated: {len(dated) - unstated} of {len(dated)} dated articles state their "
              f"ground-truth day in the page; {unstated} excluded"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("NEWSARCHIVE_WCXB", DEFAULT_DATA)))
    ap.add_argument("--subset", choices=("all", "dev", "holdout"), default="all")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--no-wcxb", action="store_true")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--dump", type=Path, help="write per-page results as JSON lines")
    ap.add_argument("--extractors", default=",".join(EXTRACTORS),
                    help="comma-separated subset of " + ", ".join(EXTRACTORS))
    args = ap.parse_args(argv)
    active = tuple(n for n in args.extractors.split(",") if n in EXTRACTORS)
    if not active:
        print(f"--extractors: choose from {', '.join(EXTRACTORS)}", file=sys.stderr)
        return 2

    items: list[Any] = []
    if not args.no_wcxb:
        if not (args.data / "ground-truth").is_dir():
            print(f"WCXB data not found at {args.data} (set NEWSARCHIVE_WCXB)", file=sys.stderr)
            return 1
        items += list(load_wcxb(args.data, args.subset, args.limit))
    if not args.no_corpus:
        items += list(load_corpus(None))
    with Pool(args.procs, initializer=_activate, initargs=(active,)) as pool:
        rows = list(pool.imap_unordered(evaluate_page, items, chunksize=4))
    if args.dump:
        args.dump.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    wcxb = [r for r in rows if r["source"] == "wcxb"]
    if wcxb:
        print(table(f"WCXB dev, subset {args.subset}", wcxb))
        for half in ("dev", "holdout"):
            part = [r for r in wcxb if (int(r["id"]) % 2 == 0) == (half == "dev")]
            if args.subset == "all" and part:
                print(table(f"WCXB {half} half", part))
    corpus = [r for r in rows if r["source"] == "corpus"]
    if corpus:
        print(table("Golden corpus (tests/corpus)", corpus))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
