"""Markup that trafilatura misreads, rewritten in the pre-cleaned DOM before it runs.

Line breaks: one inside bold or italic text in a paragraph ("<p><em>Chosen by Ann<br></em>In
my review of <a>X</a> is ...") makes trafilatura cut the paragraph before every later link or
formatted word and drop the space after each ("Xis"); one in a list item makes it drop the
space before the item's next link ("and <a>tasting</a>" becomes "andtasting"). Such a break
becomes a space: the body's text joins a paragraph's or an item's lines with spaces anyway.
Heading anchors: a heading that is all link reads as navigation, to trafilatura and to
``recover_dropped`` (which puts back no element that is mostly links), even when the link is
the heading's own permalink; that link is unwrapped.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

#: the tags trafilatura turns into formatting (its ``hi`` element)
FORMATTING_TAGS = ("em", "i", "b", "strong", "u", "kbd", "samp", "tt", "var", "sub", "sup")
_MISREAD_BREAKS = ",".join([f"p {tag} br" for tag in FORMATTING_TAGS] + ["li br"])


def unbreak_formatting(tree: LexborHTMLParser) -> bool:
    """Replace each <br> inside formatting inside a <p>, or inside a list item, by a space;
    says whether any was."""
    breaks = tree.body.css(_MISREAD_BREAKS) if tree.body is not None else []
    for node in breaks:
        node.replace_with(" ")
    return bool(breaks)


_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
#: a heading's link to a place on the same page
_ANCHORED_HEADINGS = ",".join(f'{tag} a[href^="#"]' for tag in _HEADINGS)


def unlink_heading_anchors(tree: LexborHTMLParser) -> bool:
    """Unwrap a heading's link to the heading itself (its permalink anchor: ``<h2 id="x"><a
    href="#x">``), so the heading does not read as navigation. A link to another place (a
    table of contents written as headings) stays."""
    changed = False
    for link in tree.body.css(_ANCHORED_HEADINGS) if tree.body is not None else []:
        heading = link.parent
        while heading is not None and heading.tag not in _HEADINGS:
            heading = heading.parent
        target = (link.attributes.get("href") or "")[1:]
        if target and heading is not None and target in (
                heading.attributes.get("id"), link.attributes.get("id"), link.attributes.get("name")):
            link.unwrap()
            changed = True
    return changed
