"""schema.org JSON-LD: the publisher's own statement of what the page is.

Publishers write it sloppily (lists, @graph, nested mainEntity, trailing commas,
HTML entities), so reading is lenient and never raises.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

#: schema.org types that say "this page is one article"
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "livebloggosting",
    "liveblogposting", "techarticle", "scholarlyarticle", "report", "socialmediaposting",
    "posting", "advertisercontentarticle", "satiricalarticle", "medicalscholarlyarticle",
})
#: schema.org types that say "this page lists other pages"
LISTING_TYPES = frozenset({
    "collectionpage", "itemlist", "searchresultspage", "profilepage", "product",
    "productgroup", "offercatalog", "faqpage", "qapage", "discussionforumposting",
    "store", "organization", "localbusiness", "softwareapplication", "course", "event",
    "recipe", "howto",
})
#: schema.org types of publishers and companies (an author of this type is not a person)
ORGANIZATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation",
                                "educationalorganization", "governmentorganization"})
#: most JSON-LD blocks are small; a huge one is data, not metadata
MAX_JSONLD_CHARS = 2_000_000


@dataclass
class LinkedData:
    """What the JSON-LD blocks of one page say (the first article object wins)."""

    article: dict[str, Any] | None = None
    types: set[str] = field(default_factory=set)
    publisher: str | None = None
    website_name: str | None = None
    #: the WebPage object's dates: Yoast and others date the page, not an Article, on many posts
    page_dates: dict[str, Any] = field(default_factory=dict)


def _loads(raw: str) -> Any:
    raw = raw.strip().removeprefix("<!--").removesuffix("-->").strip()
    if not raw or len(raw) > MAX_JSONLD_CHARS:
        return None
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        pass
    try:  # trailing commas and raw newlines are the common faults
        return json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
    except ValueError:
        return None


def _walk(node: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every object in the block, flattening @graph, lists and mainEntity."""
    if depth > 6:
        return []
    out: list[dict[str, Any]] = []
    if isinstance(node, list):
        for item in node:
            out.extend(_walk(item, depth + 1))
    elif isinstance(node, dict):
        out.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if isinstance(node.get(key), dict | list) and key != "itemListElement":
                out.extend(_walk(node[key], depth + 1))
    return out


def type_names(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    items = raw if isinstance(raw, list) else [raw]
    return {str(t).rsplit("/", 1)[-1].lower() for t in items if isinstance(t, str)}


def name_of(value: Any) -> str | None:
    """A display name from a string, a {"name": ...} object or a list of them."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return name_of(value.get("name"))
    if isinstance(value, list) and value:
        return name_of(value[0])
    return None


def names_of(value: Any) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in names_of(v)]
    name = name_of(value)
    return [name] if name else []


def url_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return url_of(value.get("url") or value.get("contentUrl") or value.get("@id"))
    if isinstance(value, list) and value:
        return url_of(value[0])
    return None


def read_linked_data(tree: LexborHTMLParser) -> LinkedData:
    found = LinkedData()
    for script in tree.css('script[type="application/ld+json"]'):
        for obj in _walk(_loads(script.text(deep=True) or "")):
            kinds = type_names(obj)
            found.types |= kinds
            if kinds & ARTICLE_TYPES and found.article is None:
                found.article = obj
            if any(k.endswith("page") for k in kinds):  # webpage, itempage, aboutpage...
                for key in ("datePublished", "dateModified"):
                    if obj.get(key) and key not in found.page_dates:
                        found.page_dates[key] = obj[key]
            if "website" in kinds and not found.website_name:
                found.website_name = name_of(obj.get("name"))
            if kinds & ORGANIZATION_TYPES and not found.publisher:
                found.publisher = name_of(obj.get("name"))
    if found.article is not None and not found.publisher:
        found.publisher = name_of(found.article.get("publisher"))
    return found
