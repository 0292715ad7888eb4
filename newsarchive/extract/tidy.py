"""Markup that trafilatura misreads, rewritten in the pre-cleaned DOM before it runs.

A line break inside bold or italic text in a paragraph ("<p><em>Chosen by Ann<br></em>In
my review of <a>X</a> ...") makes trafilatura cut the paragraph before every later link or
formatted word and drop the space after each ("X</a> is" becomes "Xis"). The break becomes
a space: the body's text joins a paragraph's lines with spaces anyway.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

#: the tags trafilatura turns into formatting (its ``hi`` element)
FORMATTING_TAGS = ("em", "i", "b", "strong", "u", "kbd", "samp", "tt", "var", "sub", "sup")
_BREAK_IN_FORMATTING = ",".join(f"p {tag} br" for tag in FORMATTING_TAGS)


def unbreak_formatting(tree: LexborHTMLParser) -> bool:
    """Replace each <br> inside formatting inside a <p> by a space; says whether any was."""
    breaks = tree.body.css(_BREAK_IN_FORMATTING) if tree.body is not None else []
    for node in breaks:
        node.replace_with(" ")
    return bool(breaks)
