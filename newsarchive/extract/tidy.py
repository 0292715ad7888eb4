"""Markup that trafilatura misreads, rewritten in the pre-cleaned DOM before it runs.

Line breaks: one inside bold or italic text in a paragraph ("<p><em>Chosen by Ann<br></em>In
my review of <a>X</a> is ...") makes trafilatura cut the paragraph before every later link or
formatted word and drop the space after each ("Xis"); one in a list item makes it drop the
space before the item's next link ("and <a>tasting</a>" becomes "andtasting"). Such a break
becomes a space: the body's text joins a paragraph's or an item's lines with spaces anyway.
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
