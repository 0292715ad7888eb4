"""The extractor's entry point: decode, read metadata, strip boilerplate, find the body, classify.

``decode_html`` and ``content_hash`` live in ``decode`` and are re-exported here
because other packages import them from this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache, partial
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import access, authors, dates, metadata, plaintext, siterules, streamed
from newsarchive.extract.body import extract_body
from newsarchive.extract.boilerplate import preclean
from newsarchive.extract.clean_html import Block, numbered, render_html
from newsarchive.extract.decode import content_hash, decode_html, looks_binary
from newsarchive.extract.filters import author_bio_start, filter_blocks
from newsarchive.extract.language import detect_language
from newsarchive.extract.pagetype import classify, teaser_count
from newsarchive.extract.profile import SiteProfile, as_profile
from newsarchive.extract.record import ExtractedArticle
from newsarchive.extract.signals import page_signals, scan_page
from newsarchive.extract.text import count_words, without_code, words

__all__ = ["EXTRACTOR_VERSION", "ExtractOptions", "content_hash", "decode_html", "extract"]

EXTRACTOR_VERSION = "1.8.0"

#: pages are cut to this many characters before parsing: real articles are far smaller,
#: and a 50 MB page must not take minutes
MAX_HTML_CHARS = 6_000_000


#: discovery sources whose items the publisher itself lists as content
LISTING_SOURCES = ("feed", "sitemap")


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract.

    ``profile`` is a ``SiteProfile`` (or a bare frozenset of its fingerprints) built by
    ``build_site_profile`` from the site's recent pages; ``hints`` carries facts from
    feeds and sitemaps, e.g. ``{"published_at": "2024-05-01T08:00:00Z", "source": "feed"}``.
    ``rules`` are the user's rules for the page's site (``siterules``; none by default).
    """

    fetched_at: datetime | None = None
    content_type: str | None = None
    profile: SiteProfile | frozenset[str] | None = field(default_factory=frozenset)
    hints: dict[str, Any] = field(default_factory=dict)
    rules: siterules.SiteRules | None = None


def extract(html: bytes | str, url: str | None = None,
            options: ExtractOptions | None = None) -> ExtractedArticle:
    """Turn one page into an ExtractedArticle. Never raises on any input."""
    try:
        return _extract(html, url, options or ExtractOptions())
    except Exception as exc:  # noqa: BLE001  (the promise is: never raise)
        return ExtractedArticle(url=url, extractor_version=EXTRACTOR_VERSION, page_type="error",
                                reason=f"extractor error: {type(exc).__name__}")
    except RecursionError:  # pragma: no cover  (subclass of Exception; kept for clarity)
        return ExtractedArticle(url=url, extractor_version=EXTRACTOR_VERSION, page_type="error",
                                reason="extractor error: page nested too deeply")


def _extract(html: bytes | str, url: str | None, options: ExtractOptions) -> ExtractedArticle:
    record = ExtractedArticle(url=url, extractor_version=EXTRACTOR_VERSION)
    if looks_binary(html):
        record.page_type, record.reason = "binary", "not a text page (binary content)"
        return record
    text_html = decode_html(html, options.content_type)
    if len(text_html) > MAX_HTML_CHARS:
        text_html = text_html[:MAX_HTML_CHARS]
        record.metadata["truncated_at_chars"] = MAX_HTML_CHARS
    text_html = text_html.replace("\x00", "")
    if not text_html.strip():
        record.page_type, record.reason = "empty", "empty page"
        return record
    flat = plaintext.is_plain_text(text_html)  # a page's text saved without its markup
    if flat:
        text_html = plaintext.as_html(text_html)
        record.metadata["input"] = "plain text"
    tree = LexborHTMLParser(text_html)
    if streamed.has_streamed_parts(tree) and streamed.place_streamed_parts(tree):
        text_html = tree.html or ""  # every reader below sees the page as a browser shows it
    rules = options.rules
    fields: dict[str, Any] = {}
    notes: dict[str, Any] = {}
    if rules is not None:  # the user's drops go first: nothing below reads what they remove
        notes = record.metadata["site_rules"] = {"site": rules.site}
        if (dropped := siterules.drop_nodes(tree, rules)):
            notes["dropped"], text_html = dropped, tree.html or ""
        fields = siterules.read_fields(tree, rules, options.fetched_at, notes)
    page = metadata.read_meta(tree)
    _fill_metadata(record, page, url)
    # what htmldate and the byline fallback re-parse, made only if one of them runs
    lean_html = cache(partial(without_code, text_html))
    pub, mod, date_sources = dates.find_dates(page, tree, url, options.fetched_at,
                                              options.hints or {}, lean_html)
    record.published_at, record.modified_at = pub, mod
    if date_sources:
        record.metadata["date_sources"] = date_sources
    bylines = authors.byline_texts(tree)
    scan = scan_page(tree)
    cue = access.paywall_cue(scan)
    teasers = teaser_count(tree)
    signals = page_signals(tree, scan)
    profile = as_profile(options.profile)
    if rules is not None and (only := siterules.restrict_body(tree, rules, notes)) is not None:
        tree, text_html = only, only.html or ""
    preclean(tree, profile)
    # the body passes compare against the prose left after pre-cleaning: comments, related
    # posts and footers no longer make a good first pass look poor
    kept_words = sum(len(p.text(deep=True).split()) for p in tree.css("p"))
    candidate = extract_body(tree.html or "", text_html, url,
                             replace(signals, paragraph_words=kept_words), tree)
    blocks: list[Block] = candidate.blocks if candidate else []
    blocks, record.original_source = filter_blocks(blocks, profile, record.metadata,
                                                   flat=flat)
    blocks = _drop_title(blocks, fields.get("title") or record.title,
                         (page.meta.get("og:title"), page.meta.get("twitter:title"), page.doc_title))
    blocks = numbered(blocks)
    paragraphs = [b.text for b in blocks if b.text]
    record.authors = authors.find_authors(page, bylines, paragraphs)
    if (bio := author_bio_start(blocks, record.authors)) is not None:  # the name stays as metadata
        blocks = blocks[:bio]
        paragraphs = [b.text for b in blocks if b.text]
    has_byline = bool(record.authors)  # the page-type weights were fitted on our own finder
    record.text = "\n\n".join(paragraphs)
    record.html = render_html(blocks)
    record.word_count = count_words(record.text)
    record.content_hash = content_hash(record.text) if record.text else ""
    record.language = detect_language(record.text or (record.title or ""), page.html_lang
                                      or page.meta.get("content-language")
                                      or page.meta.get("og:locale"))
    if candidate:
        record.metadata["body_mode"] = candidate.mode
    verdict = classify(page, url, blocks, date_sources.get("published_at"), has_byline,
                       signals, teasers,
                       listed_as_item=(options.hints or {}).get("source") in LISTING_SOURCES)
    record.is_article, record.page_type, record.reason = verdict.is_article, verdict.page_type, verdict.reason
    if not record.authors and paragraphs and record.is_article:  # one more parse: articles only
        record.authors = authors.library_authors(lean_html())
    record.access = access.decide_access(metadata.accessible_for_free(page), cue, record.is_article)
    if cue:
        record.metadata["paywall"] = cue
    siterules.apply_fields(record, fields)
    return record


def _fill_metadata(record: ExtractedArticle, page: metadata.PageMeta, url: str | None) -> None:
    record.site_name = metadata.site_name(page)
    record.title = metadata.title(page, record.site_name, url)
    record.description = metadata.description(page)
    record.canonical_url = metadata.canonical_url(page, url)
    record.top_image = metadata.top_image(page, record.canonical_url or url)
    record.tags = metadata.tags(page)


#: what sets a title's site or section name apart in a heading line ("X | Opinion", "Blog: X",
#: "X / Dec 2025"): a pipe, dash or slash between spaces, or a colon after a label
_TITLE_PARTS = re.compile(r"\s+[|–—·•»/\-]\s+|:\s+")
#: a title copy carries at most this many words of site name, section, label or date beside it
MAX_TITLE_EXTRA_WORDS = 6
#: a headline this short ("Blog", "News") is too common a phrase to find inside another line
MIN_TITLE_WORDS = 3


def _drop_title(blocks: list[Block], title: str | None, variants: Iterable[str | None] = ()) -> list[Block]:
    """The headline is its own field; a copy of it opening the body is dropped.

    The copy is often worded as a meta title rather than the <h1>: a different case or
    punctuation, the og:title or <title> with the site's name, a label or a date beside it.
    """
    texted = [i for i, b in enumerate(blocks) if b.text.strip()]
    if not texted or not title:
        return blocks
    for n, at in enumerate(texted[:2]):  # the headline may follow a short kicker line
        if n and len(words(blocks[texted[0]].text)) > MAX_KICKER_WORDS:
            break
        if _is_title_copy(blocks[at].text, title, variants):
            return [b for i, b in enumerate(blocks) if i not in texted[:n + 1]]
    return blocks


#: a line this short above the headline is its kicker (a section name, "Blog", a label)
MAX_KICKER_WORDS = 4


def _is_title_copy(text: str, title: str, variants: Iterable[str | None]) -> bool:
    head = words(title)
    line = words(text)
    copy = bool(line) and (line == head or line in (words(v) for v in variants if v))
    labelled = len(head) >= MIN_TITLE_WORDS and len(line) - len(head) <= MAX_TITLE_EXTRA_WORDS \
        and any(words(part) == head for part in _TITLE_PARTS.split(text))
    return copy or labelled
