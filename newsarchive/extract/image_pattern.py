"""trafilatura's image-file test, without its quadratic backtracking.

trafilatura asks ``IMAGE_EXTENSION.search`` of every image attribute value it reads
(``src``, ``data-src``, ``data-src*``). Its pattern, ``[^\\s]+\\.(ext)(\\b|$)``, lets ``[^\\s]+``
run to the end of a long value and give back one character at a time, from every start
position: on a long URL or data URI that is work quadratic in the length (on the 793 WCXB
articles ~2% of the extractor's CPU). ``LEAN_IMAGE_EXTENSION`` finds a match exactly when the
shipped one does: a dot after a non-space character, then an extension, then a word boundary
(the shipped ``$`` only matches where ``\\b`` already does, right after a word character).
The 52,351 distinct image attribute values on the 1,497 WCXB pages get the same answer from
both, ~37x faster.
"""

from __future__ import annotations

import re

#: the pattern the swap was written for; another release's pattern is kept as it ships
SHIPPED_IMAGE_EXTENSION = r"[^\s]+\.(avif|bmp|gif|hei[cf]|jpe?g|png|webp)(\b|$)"
LEAN_IMAGE_EXTENSION = re.compile(r"(?<=\S)\.(?:avif|bmp|gif|hei[cf]|jpe?g|png|webp)\b", re.IGNORECASE)


def lean_image_test() -> list[tuple[object, str, object]]:
    """The ``(module, name, value)`` swap for ``patching.patched``, or none when trafilatura's
    pattern is not the one ``LEAN_IMAGE_EXTENSION`` answers for."""
    from trafilatura import utils

    shipped = getattr(utils, "IMAGE_EXTENSION", None)
    if not isinstance(shipped, re.Pattern) or shipped.pattern != SHIPPED_IMAGE_EXTENSION \
            or shipped.flags != re.IGNORECASE | re.UNICODE:
        return []
    return [(utils, "IMAGE_EXTENSION", LEAN_IMAGE_EXTENSION)]
