"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import html
import re

_SPACE = re.compile(r"\s+")


def norm(text: str | None) -> str:
    """Entities resolved, whitespace collapsed, ends trimmed."""
    if not text:
        return ""
    return _SPACE.sub(" ", html.unescape(text)).strip()


def escape(text: str) -> str:
    return html.escape(text, quote=True)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def count_words(text: str) -> int:
    """Words for spaced scripts; for CJK, two characters make a word (a common convention)."""
    cjk = len(_CJK.findall(text))
    spaced = len(re.findall(r"\w+", _CJK.sub(" ", text)))
    return spaced + (cjk + 1) // 2
