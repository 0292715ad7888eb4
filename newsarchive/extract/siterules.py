"""Per-site rules a user writes: which element is a site's article body, what to drop before
extraction, and where its title, authors and dates are.

The extractor has no per-site rules in code; a user who knows a site better than the general
cues says so in a TOML file (``NEWSARCHIVE_SITE_RULES``, see docs/site-rules.md), one table per
site keyed by host. This module stays pure: ``parse_rules`` checks the file's text (every
mistake is reported with the file, the site and the key, before any page is read),
``RuleBook.for_url`` picks the table of a page's host (the most specific key that is the host
or one of its parent domains), and ``drop_nodes``, ``restrict_body``, ``read_fields`` and
``apply_fields`` apply one ``SiteRules`` to a selectolax tree and the record. The services
read the file and hand the picked rules to ``extract`` through ``ExtractOptions.rules``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from newsarchive.errors import ConfigError
from newsarchive.extract.authors import clean_names
from newsarchive.extract.dates import is_sane, parse_date
from newsarchive.extract.text import norm
from newsarchive.timeutil import aware_utc

if TYPE_CHECKING:
    from newsarchive.extract.record import ExtractedArticle

#: what a site's table may hold (docs/site-rules.md says what each means)
KEYS = ("body", "drop", "title", "authors", "published", "modified")
#: the record fields the field keys fill
FIELDS = {"title": "title", "authors": "authors", "published": "published_at",
          "modified": "modified_at"}
#: a host key: labels of letters, digits and hyphens (IDNs are given in Unicode or punycode)
_HOST = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?:\.(?!-)[a-z0-9-]{1,63})*$")
#: an IPv4 address (a key for a local site): matched exactly, not as a parent domain
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
#: a written date names its year (dateutil reads a bare "3" as the 3rd of this month)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
#: an empty document to check selectors against: lexbor parses a selector on first use
_PROBE = LexborHTMLParser("<html><body></body></html>")


class SiteRulesError(ConfigError):
    """A rules file that cannot be used; the message names the file, the site and the key."""

    reason = "site_rules"


@dataclass(frozen=True)
class SiteRules:
    """One site's rules. Each field holds selectors in the user's order: for ``body`` and the
    field overrides the first selector that matches wins; every ``drop`` selector applies."""

    site: str
    body: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleBook:
    """Every site's rules from one file, keyed by normalised host."""

    sites: Mapping[str, SiteRules] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.sites)

    def for_host(self, host: str | None) -> SiteRules | None:
        """The rules of ``host`` or of its nearest parent domain that has rules."""
        if not host or not self.sites:
            return None
        host = _normal_host(host)
        if _IP.match(host) or ":" in host:  # an address has no parent domains
            return self.sites.get(host)
        labels = host.split(".")
        for start in range(len(labels)):
            rules = self.sites.get(".".join(labels[start:]))
            if rules is not None:
                return rules
        return None

    def for_url(self, url: str | None) -> SiteRules | None:
        try:
            return self.for_host(urlsplit(url or "").hostname)
        except ValueError:  # a URL too broken to have a host has no site
            return None


def _normal_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def parse_rules(text: str, source: str = "site rules") -> RuleBook:
    """Parse and check a rules file's text; ``source`` (the path) opens every error message."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteRulesError(f"{source}: not valid TOML: {exc}") from exc
    sites: dict[str, SiteRules] = {}
    for key, table in raw.items():
        host = _normal_host(key)
        where = f"{source}: site {key!r}"
        if not isinstance(table, dict):
            raise SiteRulesError(f"{where}: expected a table of rules such as "
                                 f'[{key!r}] body = "article", not a single value')
        if any(isinstance(v, dict) for v in table.values()):
            # [example.com] unquoted is the table "example" holding a table "com"
            raise SiteRulesError(f"{source}: site {_dotted(key, table)!r} must be quoted in "
                                 'its header, as ["example.com"] (TOML reads a bare dotted '
                                 "name as nested tables)")
        if "/" in key or ":" in key or not _HOST.match(host):
            raise SiteRulesError(f"{where}: a site is a host name such as \"example.com\" "
                                 "(it covers its subdomains too), not a URL or a pattern")
        if host in sites:
            raise SiteRulesError(f"{where}: the site is given twice (as {sites[host].site!r})")
        sites[host] = _site(key, table, where)
    return RuleBook(sites)


def _dotted(key: str, table: dict[str, Any]) -> str:
    """The name a user wrote as [news.example.com]: the path down the nested tables."""
    while (inner := next(((k, v) for k, v in table.items() if isinstance(v, dict)), None)):
        key, table = f"{key}.{inner[0]}", inner[1]
    return key


def _site(key: str, table: dict[str, Any], where: str) -> SiteRules:
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        near = difflib.get_close_matches(unknown[0], KEYS, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise SiteRulesError(f"{where}: unknown key {', '.join(map(repr, unknown))} ({hint}the "
                             f"keys are {', '.join(KEYS)}; see docs/site-rules.md)")
    return SiteRules(site=key, **{name: _selectors(value, f"{where}, key {name!r}")
                                  for name, value in table.items()})


def _selectors(value: Any, where: str) -> tuple[str, ...]:
    """A selector or a list of them, each checked by the parser extraction will use."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(s, str) for s in items):
        raise SiteRulesError(f"{where}: expected a CSS selector or a list of CSS selectors "
                             f"(got {value!r})")
    for selector in items:
        try:
            if not selector.strip():
                raise SelectolaxError("empty")
            _PROBE.css(selector)
        except SelectolaxError as exc:
            raise SiteRulesError(f"{where}: {selector!r} is not a valid CSS selector") from exc
    return tuple(s.strip() for s in items)


def _first_matching(tree: LexborHTMLParser, selectors: tuple[str, ...]
                    ) -> tuple[str, list[LexborNode]] | None:
    for selector in selectors:
        nodes = tree.css(selector)
        if nodes:
            return selector, nodes
    return None


def drop_nodes(tree: LexborHTMLParser, rules: SiteRules) -> int:
    """Remove every element a ``drop`` selector matches; how many were removed."""
    dropped = 0
    for selector in rules.drop:  # queried afresh each time: no node of a removed one is held
        for node in _outermost(tree.css(selector)):
            node.decompose()
            dropped += 1
    return dropped


def _outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """The nodes (in page order, as css() gives them) not inside another of them."""
    kept: list[LexborNode] = []
    ids: set[int] = set()
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            kept.append(node)
            ids.add(node.mem_id)
    return kept


def restrict_body(tree: LexborHTMLParser, rules: SiteRules, notes: dict[str, Any]
                  ) -> LexborHTMLParser | None:
    """A page holding only the elements the ``body`` rule matches (the outermost ones, in
    page order), or None when it matches nothing: the body is then looked for in the whole
    page as usual. ``notes`` records which happened."""
    if not rules.body:
        return None
    found = _first_matching(tree, rules.body)
    if found is None:
        notes["body"] = "not matched"
        return None
    selector, nodes = found
    notes["body"], notes["body_selector"] = "matched", selector
    # the elements' content in an <article>, which pre-cleaning never removes: the user's
    # element may carry a class that reads like boilerplate ("story-sidebar")
    return LexborHTMLParser("<html><body><article>" + "".join(n.inner_html or "" for n in _outermost(nodes))
                            + "</article></body></html>")


def read_fields(tree: LexborHTMLParser, rules: SiteRules, fetched_at: datetime | None,
                notes: dict[str, Any]) -> dict[str, Any]:
    """The record fields the rules' selectors find on the page (read before the body is
    looked for: the headline and byline usually sit outside it). A selector that matches
    nothing usable is listed in ``notes["not_matched"]`` and leaves the automatic value."""
    values: dict[str, Any] = {}
    missed: list[str] = []
    for key, name in FIELDS.items():
        selectors: tuple[str, ...] = getattr(rules, key)
        if not selectors:
            continue
        found = _first_matching(tree, selectors)
        value = _field_value(key, found[1], fetched_at) if found else None
        if value:
            values[name] = value
        else:
            missed.append(key)
    if missed:
        notes["not_matched"] = missed
    return values


def _field_value(key: str, nodes: list[LexborNode], fetched_at: datetime | None) -> Any:
    if key == "title":
        return norm(nodes[0].text(deep=True, separator=" "))
    if key == "authors":
        names: list[str] = []
        for node in nodes:
            names.extend(n for n in clean_names(node.text(deep=True, separator=" "))
                         if n not in names)
        return names
    for node in nodes:  # dates: the first match that reads as a sane date
        attrs = node.attributes
        inner = node.css_first("[datetime]")  # a <time> inside the matched element
        for raw in (attrs.get("datetime"), attrs.get("content"),
                    inner.attributes.get("datetime") if inner is not None else None,
                    node.text(deep=True, separator=" ")):
            when = _date(raw)
            if when is not None and is_sane(when, fetched_at):
                return when
    return None


def _date(raw: str | None) -> datetime | None:
    """ISO 8601 and its variants first; then a written date ('May 1, 2024 10:00 AM')."""
    text = norm(raw or "")
    if not text:
        return None
    when = parse_date(text)
    if when is None and len(text) <= 64 and _YEAR.search(text):
        from dateutil import parser as dateutil_parser

        try:
            when = dateutil_parser.parse(text, fuzzy=True)  # "Filed May 1, 2024 at 09:30"
        except (ValueError, OverflowError, TypeError):
            return None
    if when is None:
        return None
    return aware_utc(when)


def apply_fields(record: ExtractedArticle, values: dict[str, Any]) -> None:
    """The user's values beat the automatic ones; date sources say where they came from."""
    for name, value in values.items():
        setattr(record, name, value)
        if name.endswith("_at"):
            record.metadata.setdefault("date_sources", {})[name] = "site rules"
