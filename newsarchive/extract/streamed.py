"""Put streamed page parts where the browser shows them.

A server that streams its render (React's streaming SSR, used by Next.js and others) sends
a placeholder first, a ``<template id="B:3">`` after a loading fallback or a bare
``<template id="P:3">``, and the real part later, at the end of the page, as
``<div hidden id="S:3">`` with a one-line script that swaps it in. Without the swap the
article's text sits in hidden blocks after the footer, where boilerplate removal (it
drops hidden elements) and the main-text extractor both lose it.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: the attribute a streamed part carries, and the prefix of its id ("S:3"); looked for in the
#: parsed page (~0.1 ms), not the source: a substring scan of a non-ASCII page's text costs
#: twice that
_PART = 'div[hidden][id^="S:"]'
#: the comment that closes a placeholder's loading fallback (React writes <!--/$-->)
_FALLBACK_END = "/$"
#: the comments that open a boundary (complete, pending, client-rendered): a fallback may hold
#: whole boundaries of its own
_BOUNDARY_STARTS = ("$", "$?", "$!")


def has_streamed_parts(tree: LexborHTMLParser) -> bool:
    """The page holds streamed parts: a cheap test before they are placed."""
    return tree.css_first(_PART) is not None


def place_streamed_parts(tree: LexborHTMLParser) -> int:
    """Move each streamed part into its placeholder, in the order the page's scripts would;
    returns how many were placed. A part whose placeholder is not in the page stays hidden."""
    placed = 0
    for part in tree.css(_PART):
        name = (part.id or "")[2:]
        slot = tree.css_first(f'template[id="B:{name}"],template[id="P:{name}"]')
        if slot is None:
            continue
        if (slot.id or "").startswith("B:"):
            _drop_fallback(slot)
        for child in list(part.iter(include_text=True)):
            slot.insert_before(child)  # selectolax inserts a copy
        slot.decompose()
        part.decompose()
        placed += 1
    return placed


def _drop_fallback(slot: LexborNode) -> None:
    """What stands between a boundary's placeholder and the comment that ends it is the
    loading fallback (a spinner, a skeleton) that the part replaces. Boundaries nest, so the
    end is the closing comment at the placeholder's own depth; without it nothing is dropped."""
    fallback: list[LexborNode] = []
    depth = 0
    node = slot.next
    while node is not None:
        if node.is_comment_node:
            mark = (node.comment_content or "").strip()
            if mark == _FALLBACK_END:
                if depth == 0:
                    for item in fallback:
                        item.decompose()
                    return
                depth -= 1
            elif mark in _BOUNDARY_STARTS:
                depth += 1
        fallback.append(node)
        node = node.next
