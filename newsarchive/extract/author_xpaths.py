"""trafilatura's author XPaths (``trafilatura.xpaths`` AUTHOR_XPATHS, AUTHOR_DISCARD_XPATHS) as Python tests.

libxml2 evaluates each ``//*[...]`` predicate per element with a Python callback for every
``re:test``: the four expressions cost ~5 ms on a big page. One walk of the tree with the same
tests (the same regular expressions, Python's ``re`` as lxml's EXSLT uses) finds the same
elements in the same order for about a third of that. ``tests/extract/test_author_xpaths.py``
compares both on pages made to hit every branch, so a trafilatura that changes its XPaths
fails there, not silently here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.etree import Element, XPath
from lxml.html import HtmlElement

#: one element test; the node sets of the XPaths below, in document order
Test = Callable[[HtmlElement], bool]

#: ``rel='me'`` in the first XPath compares the text of a child <rel> element (not an attribute)
_REL_ME = XPath("rel='me'")

_NAME_CLASS = re.compile(r"author-?name|AuthorName|authorName")
_GENERIC_ID = re.compile(r"author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = re.compile(r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_ANY_ID = re.compile(r"[Aa]uthor")
_ANY_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")
_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    r"article-(?:share|support)|print|category|meta-date|meta-reviewer")

#: the elements each XPath's ``self::`` tests allow (None: any); lxml's iter() filters them in C
_SPECIFIC_TAGS = ("a", "address", "div", "link", "p", "span", "strong", "author")
_GENERIC_TAGS = ("a", "div", "h3", "h4", "p", "span")
_DISCARD_TAGS = ("a", "div", "section", "span")


def _specific(e: HtmlElement) -> bool:
    if e.tag == "author":
        return True
    get = e.get
    cls = get("class") or ""
    return (get("rel") == "author" or get("id") == "author" or cls == "author"
            or get("itemprop") == "author name" or get("data-testid") in ("AuthorCard", "AuthorURL")
            or bool(_NAME_CLASS.search(cls)))


def _generic(e: HtmlElement) -> bool:
    get = e.get
    cls = get("class") or ""
    return (cls in ("byline", "username", "byl", "BBL") or "author" in (get("itemprop") or "")
            or bool(_GENERIC_ID.search(get("id") or "")) or bool(_GENERIC_CLASS.search(cls)))


def _last_resort(e: HtmlElement) -> bool:
    get = e.get
    return ("Byline" in (get("data-component") or "") or "author" in (get("itemprop") or "")
            or bool(_ANY_ID.search(get("id") or "")) or bool(_ANY_CLASS.search(get("class") or "")))


def _discarded(e: HtmlElement) -> bool:
    get = e.get
    ident, cls = get("id") or "", get("class") or ""
    return (ident == "comments" or cls in ("comments", "title", "date")
            or bool(_DISCARD_ID.search(ident)) or bool(_DISCARD_CLASS.search(cls))
            or "Figure" in (get("data-component") or ""))


class Matches:
    """Called like an lxml XPath: the elements named in ``tags`` (any if None) passing ``test``,
    in document order.

    ``whole_document`` is ``//*`` (every element of the document); otherwise ``.//*``
    (the context element's descendants only).
    """

    def __init__(self, test: Test, tags: tuple[str, ...] | None, whole_document: bool = True) -> None:
        self.test, self.tags, self.whole_document = test, tags or (Element,), whole_document

    def __call__(self, tree: HtmlElement) -> list[HtmlElement]:
        return self.select(tree, self.test)

    def select(self, tree: HtmlElement, test: Test) -> list[HtmlElement]:
        if not self.whole_document:
            return [e for e in tree.iterdescendants(*self.tags) if test(e)]
        return [e for top in _tops(tree) for e in top.iter(*self.tags) if test(e)]


def _tops(tree: HtmlElement) -> tuple[HtmlElement, ...]:
    """The document's top-level elements: a broken page can leave libxml2 more than one, and
    ``//`` reads them all."""
    root = tree.getroottree().getroot()
    return (root, *root.itersiblings(Element))


class _Specific(Matches):
    """The first XPath: its ``rel='me'`` (the text of a child <rel> element, rare) is read once
    per <rel> element instead of once per candidate."""

    def __call__(self, tree: HtmlElement) -> list[HtmlElement]:
        rel_me = {parent for top in _tops(tree) for rel in top.iter("rel")
                  if (parent := rel.getparent()) is not None and parent.tag in _SPECIFIC_TAGS
                  and _REL_ME(parent)}
        test = self.test
        return self.select(tree, (lambda e: e in rel_me or test(e)) if rel_me else test)


#: in trafilatura's order: the first that finds a short enough text wins
AUTHOR_MATCHES = [_Specific(_specific, _SPECIFIC_TAGS), Matches(_generic, _GENERIC_TAGS),
                  Matches(_last_resort, None)]
#: pruned before the author is read (comments, sidebars, dates); ``//time|//figure`` stays an XPath
DISCARD_MATCHES = [Matches(_discarded, _DISCARD_TAGS, whole_document=False), XPath("//time|//figure")]
