"""What every XML body from the network goes through before a parser sees it.

Feeds and sitemaps never need a DTD: entity declarations are how billion-laughs bombs
and external entities (``file:///etc/passwd``) get in, and an external DTD makes a
parser fetch a URL. So a body that declares entities is refused, and a DOCTYPE without
them (RSS 0.91's Netscape DTD) is removed before parsing.
"""

from __future__ import annotations

import re

from newsarchive.errors import UnsafeXML

#: the prolog is where a DOCTYPE must be; looking further would only cost time
PROLOG_BYTES = 64 * 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE\b(?:[^\[>]*\[.*?\]\s*>|[^>]*>)", re.I | re.S)
_ENTITY = re.compile(rb"<!ENTITY\b", re.I)


def strip_doctype(body: bytes) -> bytes:
    """``body`` without its DOCTYPE; raises UnsafeXML when it declares entities."""
    head = body[:PROLOG_BYTES]
    if _ENTITY.search(head):
        raise UnsafeXML("refused: the XML declares entities (possible entity-expansion or "
                        "external-entity attack)")
    match = _DOCTYPE.search(head)
    if match is None:
        if b"<!DOCTYPE" in head.upper() or _ENTITY.search(body):
            raise UnsafeXML("refused: the XML has a malformed or misplaced DOCTYPE")
        return body
    return body[: match.start()] + body[match.end() :]
