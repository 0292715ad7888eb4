"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import html
import re


def norm(text: str | None) -> str:
    """Entities resolved, whitespace collapsed, ends trimmed."""
    if not text:
        return ""
    # str.split() breaks on exactly the characters \s matches, and joining drops the ends:
    # the same string as collapsing \s+ and stripping, several times faster
    return " ".join(html.unescape(text).split())


def escape(text: str) -> str:
    return html.escape(text, quote=True)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


_WORD = re.compile(r"\w+")


def words(text: str | None) -> list[str]:
    """The lower-case word tokens of a text: how blocks, titles and slugs are compared."""
    return _WORD.findall((text or "").lower())


def count_words(text: str) -> int:
    """Words for spaced scripts; for CJK, two characters make a word (a common convention)."""
    cjk = len(_CJK.findall(text))
    spaced = len(_WORD.findall(_CJK.sub(" ", text) if cjk else text))  # no copy without CJK
    return spaced + (cjk + 1) // 2


#: scripts, styles and drawings: no datelines or bylines in them, but most of a big page's bytes
#: (JSON-LD stays: date and author readers use it). Each element runs to its first closing tag,
#: as a lazy ``.*?</script\s*>`` would, but the content is skipped a run of non-'<' characters
#: at a time instead of trying the closing tag at every character (2.5x faster, same matches)
_CODE = re.compile(r"<script(?![^>]*ld\+json)[^>]*>[^<]*(?:<(?!/script\s*>)[^<]*)*</script\s*>"
                   r"|<style[^>]*>[^<]*(?:<(?!/style\s*>)[^<]*)*</style\s*>"
                   r"|<svg[^>]*>[^<]*(?:<(?!/svg\s*>)[^<]*)*</svg\s*>", re.S | re.I)


def without_code(html_text: str) -> str:
    """The page without scripts, styles and SVG, for the helper libraries that re-read it."""
    return _CODE.sub(" ", html_text)


def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) spans sorted, with overlapping or touching ones joined: the stretches of a
    text that a windowed search reads once each, in order."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]
