"""Authors as a list of person names, from JSON-LD, meta, bylines and contributors lines.

Bylines are noisy ("By Jane Doe and John Roe, Staff Writers | jane@x.com"), so every
source goes through one normaliser; role words like "admin" or "Staff" are kept only
when nothing better names the author.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.author_xpaths import AUTHOR_MATCHES, DISCARD_MATCHES
from newsarchive.extract.jsonld import ORGANIZATION_TYPES, names_of, type_names
from newsarchive.extract.metadata import PageMeta
from newsarchive.extract.text import norm

#: a "name" longer than this is a sentence that happened to match a byline selector
MAX_NAME_WORDS = 6
#: at most this many authors: more means a list of links, not a byline
MAX_AUTHORS = 8

#: accounts and desks, not people: kept only when they are all the page says
GENERIC = re.compile(
    r"^(?:admin(?:istrator)?|staff|staff writer|editor|editors|editorial( team| staff| board)?|"
    r"newsroom|news desk|web desk|team|webmaster|guest|author|anonymous|user|redaktion|"
    r"the editors|.*\b(?:staff|desk|team)|wp[-_ ]?admin|root|unknown|null|none)$", re.I)
_ROLE_SUFFIX = re.compile(
    r",?\s*\b(?:staff writer|staff reporter|senior (?:writer|editor|reporter|correspondent)|"
    r"correspondent|reporter|contributor|columnist|editor|for [A-Z][\w .]+|"
    r"(?:associated press|reuters|afp)(?: writer)?)\s*$", re.I)
#: a part of a byline that names a job, not a person ("Staff Writers")
_ROLE_ONLY = re.compile(r"^(?:(?:staff|senior|special|contributing|chief|guest)\s+)?(?:writers?|reporters?|"
                        r"editors?|correspondents?|columnists?|contributors?|photographers?)$", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\by\b|\bet\b|\bи\b|、)\s*", re.I)
_EMAIL = re.compile(r"\S+@\S+")
_BY = re.compile(r"^\s*(?:(?:(?:written|posted|reported|authored|text|words|story|article|photos?|guide|review|"
                 r"interview|essay|column|commentary|analysis)\s+)?"
                 r"(?:by|von|por|par)\b|authors?\b|автор:?|文[:：]?)\s*:?\s*", re.I)
#: "Updated Jan 8, 2026 Written by Jane Doe": the name follows a mid-line "written by"
_MID_BY = re.compile(r"^.*?\b(?:written|posted|authored)\s+by\b\s*:?\s*", re.I)
#: a byline's date and whatever follows it ("Jane Doe • March 12, 2025 | 3 Comments")
_DATE_TAIL = re.compile(
    r"\s*(?:\b(?:updated|published|posted|last updated|on)\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b).*$", re.I)
#: job words after a name ("Keith Barry Senior Autos Reporter", "Emma Ryan Writer"): cut from the first
_JOB_WORD = re.compile(
    r"\s+\b(?:writer|reporter|editor|founder|co-founder|coordinator|manager|director|columnist|contributor|"
    r"correspondent|producer|head|senior|lead|chief|staff|associate|assistant|deputy|managing|executive|"
    r"content|marketing|former|consultant)\b.*$",
    re.I)
_DATE_WORD = re.compile(r"(?:updated|published|posted|last updated)\b", re.I)
#: a month or weekday standing alone where a name should be ("Dec", "Sat": a dateline's first word;
#: not "Jan", a first name too)
_MONTHS = re.compile(r"(?:january|february|march|april|may|june|july|august|september|october|"
                     r"november|december|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|"
                     r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?", re.I)
#: a month name after a name whose day sits in another element ("Luke Kim December"); months that
#: are also first names or surnames (April, May, June, August, March) are left alone
_MONTH_TAIL = re.compile(r"\s+\b(?:january|february|september|october|november|december)\b.*$", re.I)
_CONTRIBUTED = re.compile(
    r"^(?P<names>[A-Z][\w.'’ -]+(?:,\s*[A-Z][\w.'’ -]+)*(?:,?\s+and\s+[A-Z][\w.'’ -]+)?)\s+"
    r"contributed(?: to this (?:report|story|article))?\.?$")
_BYLINE_SELECTORS = ('[rel="author"]', '[itemprop="author"] [itemprop="name"]', '[itemprop="author"]',
                     ".byline", ".author-name", ".author", ".entry-author", ".post-author",
                     '[class*="byline"]', '[class*="author-name"]')
#: matches where any of them does
_ANY_BYLINE = ", ".join(_BYLINE_SELECTORS)
#: "Dylan Bailey, MS, RD" splits into a name and credentials; credentials are not people
_CREDENTIAL = re.compile(r"[A-Z]{2,5}|(?:Jr|Sr|PhD|MD|MSc|MBA)\.?")


def clean_names(raw: str | None) -> list[str]:
    """'By Jane Doe and John Roe, Staff Writers' -> ['Jane Doe', 'John Roe']."""
    text = norm(_EMAIL.sub(" ", raw or ""))
    text = _DATE_TAIL.sub("", _MID_BY.sub("", text))
    text = _BY.sub("", text)
    text = re.sub(r"\s*(?:\||—|–|-)\s*(?:updated|published|posted)\b.*$", "", text, flags=re.I)
    text = re.sub(r"\b(?:updated|published|posted|on)\s+\w+\.? \d{1,2},? \d{4}.*$", "", text, flags=re.I)
    out: list[str] = []
    for part in _SPLIT.split(text):
        unroled = _ROLE_SUFFIX.sub("", part).strip(" .:-–—()•·")
        # "Jane Reporter" is a name ("Jane Doe, Reporter" and "Jane Doe Reporter" are not)
        part = unroled if "," in part or len(unroled.split()) != 1 else part.strip(" .:-–—()•·")
        part = _BY.sub("", part).strip()
        if len(part.split()) > 2:
            part = _MONTH_TAIL.sub("", _JOB_WORD.sub("", part))
        if not part or part.lower().startswith(("http", "www.")) or any(c.isdigit() for c in part):
            continue
        if len(part.split()) > MAX_NAME_WORDS or len(part) < 2 or _CREDENTIAL.fullmatch(part) \
                or _ROLE_ONLY.match(part) or _MONTHS.fullmatch(part) or _DATE_WORD.match(part) \
                or (_JOB_WORD.match(" " + part) and not GENERIC.match(part)):
            continue
        out.append(part)
    return out


def contributors(paragraphs: list[str]) -> list[str]:
    """Person names from a closing 'X, Y and Reuters contributed.' line (agencies left out)."""
    for para in reversed(paragraphs[-4:]):
        m = _CONTRIBUTED.match(para.strip())
        if m:
            return [n for n in clean_names(m.group("names")) if len(n.split()) >= 2]
    return []


def byline_texts(tree: LexborHTMLParser) -> list[str]:
    """Visible byline text; read before boilerplate removal (bylines sit in headers)."""
    if tree.css_first(_ANY_BYLINE) is None:
        return []  # one walk of the tree instead of one per selector (no byline: 70% of WCXB pages)
    for selector in _BYLINE_SELECTORS:
        for node in tree.css(selector)[:4]:
            text = norm(node.text(separator=" "))
            if text and len(text) <= 120:
                return [text]
    return []


def find_authors(page: PageMeta, bylines: list[str], paragraphs: list[str]) -> list[str]:
    """Real names from the best source; generic accounts only as the last resort."""
    art = page.ld.article or {}
    ld_people, ld_orgs = _ld_authors(art.get("author"))
    sources: list[list[str]] = [
        ld_people,
        [v for v in page.meta_all.get("author", []) + page.meta_all.get("article:author", [])
         + page.meta_all.get("dc.creator", []) + page.meta_all.get("parsely-author", [])
         if not v.startswith("http")],
        bylines,
    ]
    # an organisation named as the author (the publisher itself, mostly) is the last resort
    site_keys = {_name_key(n) for n in (page.ld.publisher, page.ld.website_name,
                                        page.meta.get("og:site_name")) if n}
    generic: list[str] = []
    real: list[str] = []
    for raw_list in sources:
        names = [n for raw in raw_list for n in clean_names(raw)]
        real = _dedupe([n for n in names if not GENERIC.match(n) and _name_key(n) not in site_keys])
        generic += [n for n in names if GENERIC.match(n) or _name_key(n) in site_keys]
        if real:
            break
    if not real:
        real = contributors(paragraphs)
    return (real or _dedupe(generic + ld_orgs))[:MAX_AUTHORS]


def _ld_authors(value: object) -> tuple[list[str], list[str]]:
    """JSON-LD authors split into people and organisations ({"@type": "Organization"})."""
    items = value if isinstance(value, list) else [value]
    people: list[str] = []
    orgs: list[str] = []
    for item in items:
        is_org = isinstance(item, dict) and bool(type_names(item) & ORGANIZATION_TYPES)
        (orgs if is_org else people).extend(n for raw in names_of(item) for n in clean_names(raw))
    return people, orgs


def _name_key(name: str) -> str:
    return re.sub(r"\W+", "", name.lower())


#: what trafilatura's author XPaths (trafilatura.xpaths.AUTHOR_XPATHS) can match: an element whose
#: rel/id/class/itemprop/data-* names a byline, or an <author> or <rel> element. Read wider (substrings,
#: case-blind), so a page without any of it has nothing they could find; ~45% of WCXB pages
_LIBRARY_BYLINE_MARKUP = (
    'author, rel, [rel="author"], [itemprop*="author" i], [data-component*="Byline"], '
    '[data-testid="AuthorCard"], [data-testid="AuthorURL"], '
    + ", ".join(f'[{attr}*="{word}" i]' for attr in ("id", "class")
                for word in ("author", "zuozhe", "bianji", "xiaobian"))
    + ", "
    + ", ".join(f'[class*="{word}" i]' for word in (
        "byl", "bbl", "username", "screenname", "writer", "channel-name", "submitted-by",
        "posted-by", "journalist-name")))


def library_authors(html_text: str) -> list[str]:
    """Last resort: trafilatura's own byline finder (wider XPath net than ours, one more parse).

    Only its author XPaths run: its full metadata reader would run htmldate a second time.
    """
    if LexborHTMLParser(html_text).css_first(_LIBRARY_BYLINE_MARKUP) is None:
        return []  # nothing its XPaths could match: skip its parse, tree copy and XPath scans
    try:
        from trafilatura.htmlprocessing import prune_unwanted_nodes
        from trafilatura.metadata import extract_metainfo, normalize_authors
        from trafilatura.utils import load_html

        # trafilatura's extract_author, less its copy of the tree (this one is ours to prune)
        # and with its XPaths walked in Python (author_xpaths: same elements, a third of the CPU)
        tree = load_html(html_text)
        found = extract_metainfo(prune_unwanted_nodes(tree, DISCARD_MATCHES), AUTHOR_MATCHES,
                                 len_limit=120) if tree is not None else None
        raw = (normalize_authors(None, found) if found else None) or ""
    except Exception:  # noqa: BLE001  (a helper library must not break the promise)
        return []
    names = [n for part in raw.split(";") for n in clean_names(part)]
    return _dedupe([n for n in names if not GENERIC.match(n)])[:MAX_AUTHORS]


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        key = _name_key(name)
        if key and key not in seen:
            seen[key] = name
    return list(seen.values())
