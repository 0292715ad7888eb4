"""Markup that trafilatura misreads, rewritten in the pre-cleaned DOM before it runs.

Line breaks: one inside bold or italic text in a paragraph ("<p><em>Chosen by Ann<br></em>In
my review of <a>X</a> is ...") makes trafilatura cut the paragraph before every later link or
formatted word and drop the space after each ("Xis"); one in a list item makes it drop the
space before the item's next link ("and <a>tasting</a>" becomes "andtasting"). Such a break
becomes a space: the body's text joins a paragraph's or an item's lines with spaces anyway.
Heading anchors: a heading that is all link reads as navigation, to trafilatura and to
``recover_dropped`` (which puts back no element that is mostly links), even when the link is
the heading's own permalink; that link is unwrapped.
Loose body text: an old plain-HTML page writes its prose straight into <body>, between
headings and lists, with a bare <P> as a separator at most; trafilatura reads only elements,
so that text is lost. Each run of it becomes a <p>.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

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


#: inline elements that continue a line of loose text written straight into <body>
_INLINE_TAGS = frozenset(FORMATTING_TAGS + ("-text", "a", "span", "font", "small", "big", "code",
                                            "abbr", "cite", "q", "mark", "s", "strike", "br",
                                            "wbr", "img", "time"))
#: a run of loose body text shorter than this is a stray label or a link line, not prose
MIN_LOOSE_TEXT_WORDS = 8


def wrap_loose_body_text(tree: LexborHTMLParser) -> bool:
    """Wrap each run of text and inline markup standing straight in <body> in a <p>;
    says whether any was."""
    body = tree.body
    if body is None:
        return False
    runs: list[list[LexborNode]] = [[]]
    for node in body.iter(include_text=True):
        if node.tag in _INLINE_TAGS:
            runs[-1].append(node)
        elif runs[-1]:
            runs.append([])
    changed = False
    for run in runs:
        text = " ".join(node.text(deep=True) or "" for node in run)
        if len(text.split()) < MIN_LOOSE_TEXT_WORDS:
            continue
        paragraph = LexborHTMLParser(f"<p>{''.join(node.html or '' for node in run)}</p>").body
        if paragraph is None or paragraph.child is None:
            continue
        run[0].insert_before(paragraph.child)
        for node in run:
            node.remove()
        changed = True
    return changed
