"""Sitemaps: urlsets, sitemap indexes, Google News sitemaps, gzipped or plain text.

Pure: bytes in, a ``Sitemap`` out. The XML is read by lxml with entities left
unresolved, no network, no DTD loading and no huge-tree mode, after xmlsafety.py has
refused entity declarations; it is streamed, so a sitemap past the protocol's bounds
(50,000 URLs, 50 MB) is cut there rather than held whole.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from newsarchive.discover.candidates import Candidate, parse_w3c_datetime
from newsarchive.discover.urls import InvalidURL, canonicalize
from newsarchive.discover.xmlsafety import strip_doctype
from newsarchive.errors import DiscoveryError, TooLargeError
from newsarchive.fetch.decoding import GZIP_MAGIC, BoundedDecoder

#: the sitemap protocol's own bounds: 50,000 URLs and 50 MB (uncompressed) per file
MAX_SITEMAP_URLS = 50_000
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass
class Sitemap:
    """What one sitemap file lists: article candidates, and child sitemaps (an index)."""

    urls: list[Candidate] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    #: the lastmod an index gives each child, to skip children that have not changed
    child_lastmod: dict[str, datetime] = field(default_factory=dict)
    #: set when the file went past MAX_SITEMAP_URLS / MAX_SITEMAP_BYTES and was cut there
    truncated: bool = False


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _gunzip(body: bytes) -> bytes:
    decoder = BoundedDecoder("gzip", MAX_SITEMAP_BYTES)
    try:
        return decoder.feed(body) + decoder.finish()
    except TooLargeError as exc:
        raise DiscoveryError(f"gzipped sitemap larger than {MAX_SITEMAP_BYTES:,} bytes "
                             "once decompressed") from exc


def _absolute(loc: str | None, base: str) -> str | None:
    if not loc:
        return None
    try:
        return canonicalize(urljoin(base, loc.strip()))
    except (InvalidURL, ValueError):
        return None


def _child_text(elem: etree._Element, name: str) -> str | None:
    for child in elem.iter():
        if child is not elem and _local(child.tag) == name and child.text:
            return child.text.strip()
    return None


def _text_sitemap(body: bytes, url: str) -> Sitemap:
    """The protocol's plain-text form: one URL per line."""
    out = Sitemap()
    seen: set[str] = set()
    for line in body.decode("utf-8", errors="replace").splitlines():
        loc = _absolute(line, url) if line.strip().startswith(("http://", "https://")) else None
        if loc and loc not in seen:
            if len(out.urls) >= MAX_SITEMAP_URLS:
                out.truncated = True
                break
            seen.add(loc)
            out.urls.append(Candidate(url=loc, source="sitemap"))
    return out


def parse_sitemap(body: bytes, url: str) -> Sitemap:
    """The URLs (with lastmod, news publication date and title) and child sitemaps of one
    sitemap file. Raises UnsafeXML or DiscoveryError; a file cut short keeps what came
    before the break."""
    if body.startswith(GZIP_MAGIC):
        body = _gunzip(body)
    truncated = len(body) > MAX_SITEMAP_BYTES
    body = body[:MAX_SITEMAP_BYTES]
    if not body.lstrip()[:1] == b"<":
        return _text_sitemap(body, url)
    body = strip_doctype(body)
    out = Sitemap(truncated=truncated)
    seen: set[str] = set()
    events = etree.iterparse(
        io.BytesIO(body), events=("end",), resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=False, recover=True, remove_comments=True, remove_pis=True,
    )
    try:
        for _event, elem in events:
            name = _local(elem.tag)
            if name not in ("url", "sitemap"):
                continue
            loc = _absolute(_child_text(elem, "loc"), url)
            if name == "sitemap":
                if loc and loc not in out.children:
                    out.children.append(loc)
                    lastmod = parse_w3c_datetime(_child_text(elem, "lastmod"))
                    if lastmod is not None:
                        out.child_lastmod[loc] = lastmod
            elif loc and loc not in seen:
                seen.add(loc)
                out.urls.append(Candidate(
                    url=loc,
                    title=_child_text(elem, "title"),
                    published_at=parse_w3c_datetime(_child_text(elem, "publication_date")),
                    lastmod=parse_w3c_datetime(_child_text(elem, "lastmod")),
                    source="sitemap",
                ))
            elem.clear()
            if len(out.urls) + len(out.children) >= MAX_SITEMAP_URLS:
                out.truncated = True
                break
    except etree.XMLSyntaxError as exc:
        if not out.urls and not out.children:
            raise DiscoveryError(f"not a sitemap: {exc}") from exc
        out.truncated = True
    if not out.urls and not out.children and not _is_sitemap_root(body):
        raise DiscoveryError("not a sitemap: no <urlset> or <sitemapindex>")
    return out


def _is_sitemap_root(body: bytes) -> bool:
    head = body[:4096].lower()
    return b"<urlset" in head or b"<sitemapindex" in head or b":urlset" in head


def sitemaps_in_robots(robots_txt: str, base_url: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, absolute (robots.py keeps them too; this is
    for a robots body read some other way)."""
    out: list[str] = []
    for line in robots_txt.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            loc = _absolute(value.strip(), base_url)
            if loc and loc not in out:
                out.append(loc)
    return out
