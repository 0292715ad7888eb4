"""Plain text where a page was expected (a saved copy of an article's text, a text/plain
response): written out as the page it stands for, so that the body passes and line filters
read it as they read any page. Without this the whole file is one text node: one paragraph
holding the article and its comment form and teasers alike.
"""

from __future__ import annotations

import re
from itertools import groupby

from newsarchive.extract.text import escape

#: a tag or a comment: one is enough to read the input as HTML
_MARKUP = re.compile(r"<(?:!--|!doctype\b|/?[a-z][\w:-]*(?:\s[^<>]*)?/?>)", re.I)
#: a list item's mark at the start of a line
_BULLET = re.compile(r"^(?:[•·▪‣◦●]|[*\-–](?=\s))\s*")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def is_plain_text(text: str) -> bool:
    """Whether ``text`` holds no markup at all."""
    return _MARKUP.search(text) is None


def as_html(text: str) -> str:
    """Each block between blank lines a paragraph (its lines joined: text is often wrapped),
    each run of bulleted lines a list."""
    out: list[str] = []
    for block in _BLANK_LINE.split(text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        for bulleted, run in groupby(lines, key=lambda line: _BULLET.match(line) is not None):
            if bulleted:
                items = "".join(f"<li>{escape(_BULLET.sub('', line, count=1))}</li>" for line in run)
                out.append(f"<ul>{items}</ul>")
            else:
                out.append(f"<p>{escape(' '.join(run))}</p>")
    return f"<html><body><article>{''.join(out)}</article></body></html>"
