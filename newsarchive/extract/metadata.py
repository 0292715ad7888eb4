"""Page metadata from <meta>, <link>, <title> and JSON-LD: everything but the body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsarchive.extract.jsonld import LinkedData, name_of, names_of, read_linked_data, url_of
from newsarchive.extract.text import norm, words

#: headlines longer than this are paragraphs that happen to sit in an <h1>
MAX_TITLE_CHARS = 300
#: an <h1> with this many sentence ends is a paragraph set in big type, not a headline
MAX_H1_SENTENCES = 2
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")
#: a title this long that another title continues was truncated (Yoast cuts headlines at 110)
MIN_TRUNCATED_CHARS = 80
#: a one-word <h1> is a logo or a section label more often than a headline
MIN_H1_WORDS = 2
#: a blog or site name before a colon is this short; a longer head is a label of the article
#: ("The 2024 SELF Healthy Beauty Awards: ...")
MAX_SITE_NAME_WORDS = 4
#: an <h1> that differs from the meta title must share this many words with it
MIN_SHARED_WORDS = 2
#: a label ("Blog:", "Title:") or a date ("Dec 18 2025") in front of an <h1>'s headline
_LABEL = re.compile(r"^\s*(?:\w+(?: \w+){0,2}:|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2}\.? [A-Z][a-z]{2,8}\.? \d{4}"
                    r"|\d{4}-\d{2}-\d{2})\s*")
#: a title part that is a bare domain ("Newegg.com") names the site
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[a-z]{2,6})+", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—·•:»\-]|::|/)\s+")
_PIPES = re.compile(r"\s+(?:[|·•»]|::)\s+")
#: what an aggregator prints after a headline inside its <h1>: the source's domain, a comment count
_SOURCE_TAIL = re.compile(r"(?:\s*\(?(?:www\.)?[\w-]+(?:\.[a-z]{2,6})+\)?|\s*\d+)+\s*", re.I)
#: UTF-8 read as Latin-1 ("Investorâ\x80\x99s"): a lead byte and its continuation bytes as characters
_MOJIBAKE = re.compile(r"[\xc2-\xf4][\x80-\xbf]+")


@dataclass
class PageMeta:
    """Raw facts read from the head; later modules decide which to believe."""

    meta: dict[str, str] = field(default_factory=dict)
    meta_all: dict[str, list[str]] = field(default_factory=dict)
    ld: LinkedData = field(default_factory=LinkedData)
    doc_title: str = ""
    h1: list[str] = field(default_factory=list)
    canonical: str | None = None
    html_lang: str | None = None


def read_meta(tree: LexborHTMLParser) -> PageMeta:
    page = PageMeta(ld=read_linked_data(tree))
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
        value = attrs.get("content")
        if not key or value is None or not value.strip():
            continue
        key = key.strip().lower()
        page.meta.setdefault(key, value.strip())
        page.meta_all.setdefault(key, []).append(value.strip())
    title = tree.css_first("title")
    page.doc_title = norm(title.text()) if title is not None else ""
    page.h1 = [t for t in (_heading_text(h) for h in tree.css("h1")) if t][:5]
    link = tree.css_first('link[rel="canonical"]')
    if link is not None and (link.attributes.get("href") or "").strip():
        page.canonical = (link.attributes.get("href") or "").strip()
    html = tree.css_first("html")
    if html is not None:
        page.html_lang = html.attributes.get("lang") or html.attributes.get("xml:lang")
    return page


def _heading_text(node: LexborNode) -> str:
    """A heading's text; a <br> between its lines ("WEEKEND<br>CODING") becomes a space."""
    return norm(node.text(separator=" ") if node.css_first("br") is not None else node.text())


def first(page: PageMeta, *keys: str) -> str | None:
    for key in keys:
        value = page.meta.get(key)
        if value:
            return norm(value)
    return None


def site_name(page: PageMeta) -> str | None:
    return (first(page, "og:site_name", "application-name", "twitter:app:name:iphone")
            or page.ld.website_name or page.ld.publisher)


def _strip_site(title: str, site: str | None, host_keys: frozenset[str] | set[str] = frozenset()) -> str:
    """'Headline | Site Name' -> 'Headline': drop short end parts and the site's name
    (as stated, or as the host spells it when the page states none)."""
    host_keys = set() if site else host_keys
    if host_keys:  # 'davidbau.com Vibe Coding': the host written before the headline
        first_word, _, rest = title.partition(" ")
        if rest and _key(first_word) in host_keys:
            title = rest
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_key = norm(site or "").lower()
    while len(parts) > 1:
        last, head = parts[-1], parts[0]
        if (site_key and (last.lower() in site_key or site_key in last.lower())) or \
                _DOMAIN.fullmatch(last) or _key(last) in host_keys or \
                (len(last.split()) <= 4 and len(" ".join(parts[:-1]).split()) >= 3):
            parts.pop()
        elif (site_key and head.lower() in site_key) or _DOMAIN.fullmatch(head) or _key(head) in host_keys:
            parts.pop(0)
        else:
            break
    return " - ".join(parts) if len(parts) > 1 else parts[0]


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _host_keys(url: str | None) -> set[str]:
    """The site's name as its host spells it: 'davidbau.com' and 'soundstagexperience' for
    www.soundstagexperience.com, for pages that state no site name."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    if "." not in host:
        return set()
    return {_key(host), _key(host.rsplit(".", 1)[0])} - {""}


def _repair_mojibake(text: str) -> str:
    """Text stored as UTF-8 read as Latin-1 ('Investorâ\x80\x99s') back to 'Investor’s'."""
    def fix(match: re.Match[str]) -> str:
        try:
            return match.group().encode("latin-1").decode("utf-8")
        except UnicodeError:  # not UTF-8 bytes after all: real Latin-1 letters, left alone
            return match.group()
    return _MOJIBAKE.sub(fix, text)


def title(page: PageMeta, site: str | None, url: str | None = None) -> str | None:
    """The visible headline: the page's <h1> unless it is the site's name or logo text,
    else the cleaned meta title.

    Readers see the <h1>; og:title and <title> are often SEO variants of it ("... | Opinion",
    "... in 2025"), so a real <h1> wins over them even when they differ.
    """
    found = _title(page, site, _host_keys(url))
    return _repair_mojibake(found) if found else found


def _title(page: PageMeta, site: str | None, host_keys: set[str]) -> str | None:
    ld_head = name_of(page.ld.article.get("headline")) if page.ld.article else None
    metas = [t for t in (ld_head, first(page, "og:title", "twitter:title"), page.doc_title) if t]
    cleaned_metas = _untruncated(_within_others(
        [c for c in (norm(_strip_site(t, site, host_keys)) for t in metas) if c]))
    cut_keys = {_key(t) for t in _site_parts(metas, cleaned_metas)}
    site_keys = ({_key(site or "")} | cut_keys | host_keys) - {""}
    headlines = [_strip_parts(h, _key(site or ""), cut_keys) for h in page.h1
                 if _key(h) and len(h) <= MAX_TITLE_CHARS and _key(h) not in site_keys
                 and len(_SENTENCE_END.findall(h)) < MAX_H1_SENTENCES]
    meta_keys = [_key(t) for t in cleaned_metas]
    for h1 in headlines:  # the <h1> the metadata agrees with
        h1_key = _key(h1)
        for meta, key in zip(cleaned_metas, meta_keys, strict=True):
            # a one-word <h1> inside the title is a word of it ("Discord"), not the headline
            if key.startswith(h1_key) or (len(h1.split()) >= MIN_H1_WORDS and h1_key in key):
                return h1
            if key in h1_key and (_is_label(h1, meta) or _is_source_tail(h1, meta)):
                return meta
    meta_words = {w for t in cleaned_metas for w in _words(t)}
    for h1 in headlines:  # an <h1> that words it differently (menus and widgets share no words)
        if len(h1.split()) >= MIN_H1_WORDS and "{{" not in h1 and \
                (not meta_words or len(_words(h1) & meta_words) >= MIN_SHARED_WORDS):
            return h1
    if cleaned_metas:
        return cleaned_metas[0][:MAX_TITLE_CHARS]
    return page.h1[0][:MAX_TITLE_CHARS] if page.h1 else None


def _untruncated(titles: list[str]) -> list[str]:
    """Drop a title that another one continues: schema.org headlines are often cut at 110 chars."""
    keys = [_key(t) for t in titles]
    return [t for t, k in zip(titles, keys, strict=True)
            if len(t) < MIN_TRUNCATED_CHARS or not any(o != k and o.startswith(k) for o in keys)]


def _within_others(titles: list[str]) -> list[str]:
    """A title one of whose separated parts is another title ('Blog Name: Headline' beside
    og:title 'Headline') is that title: the other parts name the blog or site.

    After a colon only the part that follows counts: 'Headline: its subtitle' beside a
    shorter og:title 'Headline' is the full headline.
    """
    keys = {_key(t) for t in titles}
    out = []
    for t in titles:
        parts = _TITLE_SEPARATORS.split(t)
        if len(parts) < 2:
            name, _, rest = t.partition(": ")
            parts = [rest] if len(name.split()) <= MAX_SITE_NAME_WORDS else []
        inner = [p for p in parts if _key(p) in keys and _key(p) != _key(t)]
        out.append(inner[0] if inner else t)
    return out


def _is_source_tail(h1: str, meta: str) -> bool:
    """The <h1> is the meta title plus what an aggregator prints after it: '(latimes.com) 87'."""
    head = _key(meta)
    for i in range(len(h1) + 1):  # the shortest start of the <h1> that spells the meta title
        if _key(h1[:i]) == head:
            return i < len(h1) and _SOURCE_TAIL.fullmatch(h1[i:]) is not None
    return False


def _is_label(h1: str, meta: str) -> bool:
    """The <h1> is the meta title after a label or a date ("Blog: ...", "Dec 18 2025 ...")."""
    rest = _LABEL.sub("", h1, count=1)
    return rest != h1 and _key(rest) == _key(meta)


def _strip_parts(h1: str, site_key: str, cut_keys: set[str]) -> str:
    """An <h1> that repeats the <title>'s site or section parts ("Headline | Opinion") loses them.

    A part cut off the meta title goes only after a pipe-like separator: after a dash it
    is as often the headline's own subtitle; the site's name goes after any separator.
    """
    for splitter, keys in ((_PIPES, cut_keys), (_TITLE_SEPARATORS, {site_key} - {""})):
        parts = splitter.split(h1)
        while len(parts) > 1 and _key(parts[-1]) in keys:
            parts.pop()
        while len(parts) > 1 and _key(parts[0]) in keys:
            parts.pop(0)
        h1 = " - ".join(parts) if len(parts) < len(splitter.split(h1)) else h1
    return h1


def _words(text: str) -> set[str]:
    return {w for w in words(text) if len(w) >= 3}


def _site_parts(metas: list[str], cleaned: list[str]) -> list[str]:
    """The parts that _strip_site cut off the meta titles: the site's name in its variants."""
    kept = [_key(c) for c in cleaned]
    return [p for t in metas for p in _TITLE_SEPARATORS.split(t)
            if _key(p) and not any(_key(p) in k for k in kept)]


def description(page: PageMeta) -> str | None:
    ld_desc = name_of(page.ld.article.get("description")) if page.ld.article else None
    return first(page, "og:description", "description", "twitter:description") or (
        norm(ld_desc) if ld_desc else None)


def absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if url.startswith(("data:", "javascript:")):
        return None
    try:
        return urljoin(base, url) if base else url
    except ValueError:
        return url


def top_image(page: PageMeta, base: str | None) -> str | None:
    ld_img = url_of(page.ld.article.get("image")) if page.ld.article else None
    return absolute(first(page, "og:image", "og:image:url", "twitter:image", "twitter:image:src")
                    or ld_img, base)


def canonical_url(page: PageMeta, base: str | None) -> str | None:
    return absolute(page.canonical or first(page, "og:url"), base) or base


def tags(page: PageMeta) -> list[str]:
    """Keywords and section, as the publisher tagged the article."""
    out: list[str] = []
    art = page.ld.article or {}
    section = art.get("articleSection")
    for value in page.meta_all.get("article:section", []) + names_of(section):
        out.append(value)
    out += page.meta_all.get("article:tag", [])
    keywords: Any = art.get("keywords") or page.meta.get("news_keywords") or page.meta.get("keywords")
    if isinstance(keywords, str):
        out += keywords.split(",")
    elif isinstance(keywords, list):
        out += [k for k in keywords if isinstance(k, str)]
    seen: dict[str, str] = {}
    for tag in out:
        clean = norm(tag)
        if clean and len(clean) <= 80 and clean.lower() not in seen:
            seen[clean.lower()] = clean
    return list(seen.values())[:30]


def accessible_for_free(page: PageMeta) -> bool | None:
    art = page.ld.article or {}
    value = art.get("isAccessibleForFree")
    if value is None:
        part = art.get("hasPart")
        if isinstance(part, dict):
            value = part.get("isAccessibleForFree")
        elif isinstance(part, list) and part and isinstance(part[0], dict):
            value = part[0].get("isAccessibleForFree")
    if value is None:
        return None
    return str(value).strip().lower() not in ("false", "0", "no")
