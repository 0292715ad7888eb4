"""trafilatura's regex XPaths, answered by one Python loop instead of a callback per element.

trafilatura finds boilerplate and the article's container with XPaths that call EXSLT
``re:test`` on every candidate element; lxml answers each call in Python (the attribute made
a string object, the pattern looked up, the search run). On the 793 WCXB articles the XPaths
mirrored here took ~18% of the extractor's CPU, about three times what the same tests cost in
one loop over the candidates, with each distinct attribute value searched once. The loops use
the patterns read out of trafilatura's own XPath text and return the same elements in the
same (document) order.

Each mirror is used only when its XPath reads exactly as the one it was written for (patterns
aside): a release that changes one keeps its own XPath, so the swap is never wrong, only off.
``tests/extract/test_prunes.py`` compares both on a page made to hit every test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

#: a ``re:test(attrs, 'pattern'[, 'flags'])`` call in trafilatura's XPath text (patterns hold
#: no quote)
_RE_TEST = re.compile(r"(re:test\([^,]+, )'([^']*)'(?:, '([a-z]*)')?")

Select = Callable[[Any], list[Any]]


def _shape(path: str) -> tuple[str, list[re.Pattern[str]]]:
    """The XPath text with whitespace collapsed and patterns blanked, and the patterns, compiled
    as lxml compiles them for ``re:test`` (ignoring case for an 'i' flag)."""
    shape = " ".join(_RE_TEST.sub(lambda m: m.group(1) + "'…'" + (f", '{m.group(3)}'" if m.group(3) is not None else ""),
                                  path).split())
    return shape, [re.compile(m.group(2), re.I if "i" in (m.group(3) or "") else 0)
                   for m in _RE_TEST.finditer(path)]


def _first(node: Any, one: str, other: str, a: str | None, b: str | None) -> str | None:
    """``@one|@other`` as XPath reads it in a string function, given their values ``a`` and
    ``b``: the value of whichever comes first in the element's source."""
    if a is None or b is None:
        return b if a is None else a
    for name in node.keys():
        if name == one:
            return a
        if name == other:
            return b
    return a  # pragma: no cover  (both were found above)


#: distinct attribute values remembered per pattern; a page repeats its class names on many
#: elements and trafilatura runs the same prunes on it more than once (a bound for a long run)
MAX_REMEMBERED = 20_000

Test = Callable[[str | None], bool]


def _tester(pattern: re.Pattern[str]) -> Test:
    """``re:test(@x, pattern)`` for a value: a missing attribute reads as '' (which no mirrored
    pattern matches). Each distinct value is searched once: a long alternation costs ~3 us a
    search in ``re``."""
    memo: dict[str, bool] = {}

    def test(value: str | None) -> bool:
        if value is None:
            return False
        found = memo.get(value)
        if found is None:
            if len(memo) >= MAX_REMEMBERED:
                memo.clear()
            found = memo[value] = pattern.search(value) is not None
        return found
    return test


Keeps = Callable[[Any], bool]


def _where(nodes: Callable[[Any], Iterable[Any]], keeps: Keeps) -> Select:
    """The XPath's answer: the candidate nodes, in document order, that pass its tests."""
    def select(tree: Any) -> list[Any]:
        return [node for node in nodes(tree) if keeps(node)]
    return select


def _tagged(*tags: str) -> Callable[[Any], Iterable[Any]]:
    """``.//*[self::a or self::b ...]``: the descendants with those tags."""
    return lambda tree: tree.iterdescendants(tags)


#: the elements trafilatura's discard rules look at
_OVERALL_TAGS = ("div", "item", "list", "p", "section", "span")
_OVERALL_0 = (
    ".//*[self::div or self::item or self::list or self::p or self::section or self::span][ "
    "@data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') or "
    "contains(@data-component, 'MostPopularStories') or re:test(@id|@class, '…') or "
    "re:test(@id, '…') or re:test(@class, '…')]")


def _overall_0(cookie: Test, ident: Test, klass: Test) -> Select:
    def keeps(node: Any) -> bool:
        get = node.get
        i, c = get("id"), get("class")
        return ident(i) or klass(c) or cookie(_first(node, "id", "class", i, c)) \
            or get("data-lp-replacement-content") is not None \
            or "nav" in (get("role") or "").replace("N", "n") \
            or "MostPopularStories" in (get("data-component") or "")
    return _where(_tagged(*_OVERALL_TAGS), keeps)


_OVERALL_1 = (
    ".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or re:test(@id|@style, '…') "
    "or contains(@style, 'display:none') or contains(@style, 'display: none') or re:test(@id, '…') "
    "or re:test(@class, '…') or @aria-hidden='true']")


def _overall_1(hidden: Test, ident: Test, klass: Test) -> Select:
    def keeps(node: Any) -> bool:
        if not node.attrib:  # every test reads an attribute
            return False
        get = node.get
        i, c, style = get("id"), get("class"), get("style")
        return c == "comments-title" or get("aria-hidden") == "true" or ident(i) or klass(c) \
            or (_first(node, "id", "class", i, c) or "").startswith("reply-") \
            or hidden(_first(node, "id", "style", i, style)) \
            or (style is not None and ("display:none" in style or "display: none" in style))
    return _where(lambda tree: tree.iterdescendants(etree.Element), keeps)


_TEASER = (".//*[self::div or self::item or self::list or self::p or self::section or self::span][ "
           "contains(translate(@id, 'T', 't'), 'teaser') or contains(translate(@class, 'T', 't'), 'teaser')]")


def _teaser() -> Select:
    def keeps(node: Any) -> bool:
        get = node.get
        return "teaser" in (get("id") or "").replace("T", "t") \
            or "teaser" in (get("class") or "").replace("T", "t")
    return _where(_tagged(*_OVERALL_TAGS), keeps)


_NAMED_THEN = (  # elements named by one pair of patterns, kept by a second test
    "[ re:test(@id, '…') or re:test(@class, '…')][ {keep} or re:test(@id, '…') or re:test(@class, '…')]")
_RAW_TREE_0 = ".//*[self::div or self::section or self::aside]" + _NAMED_THEN.format(keep="not(.//h1)")
_COMMENTS_0 = (".//*[self::div or self::list or self::section or self::details or self::ol or self::ul]"
               + _NAMED_THEN.format(keep="not(self::ol or self::ul)"))


def _named_then(nodes: Callable[[Any], Iterable[Any]], keep: Keeps) -> Callable[..., Select]:
    def build(ident: Test, klass: Test, ident2: Test, klass2: Test) -> Select:
        def keeps(node: Any) -> bool:
            i, c = node.get("id"), node.get("class")
            return (ident(i) or klass(c)) and (keep(node) or ident2(i) or klass2(c))
        return _where(nodes, keeps)
    return build


#: the elements trafilatura looks for the article's container among
_CONTAINERS = ("article", "div", "main", "section")
_ONE_OF = ".//*[self::article or self::div or self::main or self::section][ "
_BODY_0 = (_ONE_OF + "@class='post' or @class='entry' or @itemprop='articleBody' or @id='articleContent' "
           "or re:test(@id, '…') or re:test(@class, '…') ][1]")


def _body_0(ident: Test, klass: Test) -> Select:
    """``.//*[tests][1]``: of each parent's children passing the tests, the first."""
    def keeps(node: Any) -> bool:
        get = node.get
        i, c = get("id"), get("class")
        return c in ("post", "entry") or get("itemprop") == "articleBody" or i == "articleContent" \
            or ident(i) or klass(c)

    def select(tree: Any) -> list[Any]:
        out, parents = [], set()
        for node in tree.iterdescendants(_CONTAINERS):
            if keeps(node) and (parent := node.getparent()) not in parents:
                parents.add(parent)
                out.append(node)
        return out
    return select


def _first_one(keeps: Keeps) -> Select:
    """``(.//*[tests])[1]``: the first container in the document passing the tests."""
    def select(tree: Any) -> list[Any]:
        return next(([node] for node in tree.iterdescendants(_CONTAINERS) if keeps(node)), [])
    return select


_BODY_2 = ("(" + _ONE_OF + "@role='article' or @id='article' or @id='story' or @class='postarea' or "
           "@class='art-postcontent' or @class='text' or @class='cell' or @class='story' or "
           "re:test(@id, '…') or re:test(@class, '…', 'i') or re:test(@class, '…') ])[1]")


def _body_2(ident: Test, klass_any_case: Test, klass: Test) -> Select:
    def keeps(node: Any) -> bool:
        get = node.get
        i, c = get("id"), get("class")
        return get("role") == "article" or i in ("article", "story") \
            or c in ("postarea", "art-postcontent", "text", "cell", "story") \
            or ident(i) or klass_any_case(c) or klass(c)
    return _first_one(keeps)


_BODY_3 = ("(" + _ONE_OF + "@id='content' or @class='content' or re:test(@id, '…') or "
           "re:test(@class, '…') or contains(translate(@id, 'CM','cm'), 'main-content') or "
           "contains(translate(@class, 'CM','cm'), 'main-content') or "
           "contains(translate(@class, 'CP','cp'), 'page-content') ])[1]")


def _body_3(ident: Test, klass: Test) -> Select:
    def keeps(node: Any) -> bool:
        get = node.get
        i, c = get("id") or "", get("class") or ""
        return i == "content" or c == "content" or ident(i) or klass(c) \
            or "main-content" in i.replace("C", "c").replace("M", "m") \
            or "main-content" in c.replace("C", "c").replace("M", "m") \
            or "page-content" in c.replace("C", "c").replace("P", "p")
    return _first_one(keeps)


_BASIC_CLEAN = (".//aside|.//div[contains(@class|@id, 'footer')]|.//fencedframe|.//footer|.//script"
                "|.//style|.//svg|.//template|.//*[re:test(@class, '…', 'i') or re:test(@id, '…', 'i')]")
#: the tags _BASIC_CLEAN takes whatever their attributes
_BASIC_CLEAN_TAGS = frozenset(("aside", "fencedframe", "footer", "script", "style", "svg", "template"))


def _basic_clean(klass: Test, ident: Test) -> Select:
    def keeps(node: Any) -> bool:
        tag = node.tag
        if tag in _BASIC_CLEAN_TAGS:
            return True
        get = node.get
        i, c = get("id"), get("class")
        return klass(c) or ident(i) or (tag == "div" and "footer" in (_first(node, "class", "id", c, i) or ""))
    return _where(lambda tree: tree.iterdescendants(etree.Element), keeps)


#: (trafilatura module, name of an XPath list or of one XPath, the shape of each XPath, our
#: builder for each or None to keep that XPath as it is)
_MIRRORS: tuple[tuple[str, str, tuple[tuple[str, Callable[..., Select] | None], ...]], ...] = (
    ("main_extractor", "OVERALL_DISCARD_XPATH", ((_OVERALL_0, _overall_0), (_OVERALL_1, _overall_1))),
    ("external", "OVERALL_DISCARD_XPATH", ((_OVERALL_0, _overall_0), (_OVERALL_1, _overall_1))),
    ("main_extractor", "TEASER_DISCARD_XPATH", ((_TEASER, _teaser),)),
    ("core", "RAW_TREE_PRUNE_XPATH", (
        (_RAW_TREE_0, _named_then(_tagged("div", "section", "aside"), lambda n: n.find(".//h1") is None)),
        (".//*[self::div or self::section or self::aside][contains(@class, 'elementor-share-buttons')]",
         None))),
    ("main_extractor", "BODY_XPATH", (
        (_BODY_0, _body_0), ("(.//article)[1]", None), (_BODY_2, _body_2), (_BODY_3, _body_3),
        ("(.//*[self::article or self::div or self::section][ starts-with(@class, 'main') or "
         "starts-with(@id, 'main') or starts-with(@role, 'main')])[1]|(.//main)[1]", None))),
    ("baseline", "BASIC_CLEAN_XPATH", ((_BASIC_CLEAN, _basic_clean),)),
    ("core", "REMOVE_COMMENTS_AND_LISTS_XPATH", (
        (_COMMENTS_0, _named_then(_tagged("div", "list", "section", "details", "ol", "ul"),
                                  lambda n: n.tag not in ("ol", "ul"))),)),
)


def _mirror(shipped: Any, shapes: tuple[tuple[str, Callable[..., Select] | None], ...]
            ) -> Any:
    if isinstance(shipped, etree.XPath):  # one XPath, not a list of them
        mirrored = _mirror([shipped], shapes)
        return mirrored[0] if mirrored else None
    shipped = list(shipped)
    if len(shipped) != len(shapes):
        return None
    out: list[Any] = []
    for xpath, (shape, build) in zip(shipped, shapes, strict=True):
        text, patterns = _shape(getattr(xpath, "path", ""))
        if text != shape or any(p.search("") for p in patterns):  # a tester reads absent as no match
            return None
        out.append(xpath if build is None else build(*map(_tester, patterns)))
    return out


def lean_prunes() -> list[tuple[object, str, object]]:
    """The ``(module, name, value)`` swaps for ``patching.patched``: every mirrored XPath list
    whose shipped XPaths read as expected (none, when a release changed them all)."""
    import importlib

    swaps: list[tuple[object, str, object]] = []
    for module_name, name, shapes in _MIRRORS:
        module = importlib.import_module(f"trafilatura.{module_name}")
        mirrored = _mirror(getattr(module, name, ()), shapes)
        if mirrored is not None:
            swaps.append((module, name, mirrored))
    return swaps
