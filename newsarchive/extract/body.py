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

#: the pre-cleaned body loses to the raw recall body when it has less than this share of
#: its words (chosen on the even-numbered half of WCXB, checked on the odd half)
RECALL_SWITCH_SHARE = 0.8


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


def extract_body(cleaned: str, raw: str, url: str | None) -> Candidate | None:
    """The best candidate body for this page.

    The pre-cleaned page in default mode is precise; trafilatura's recall mode on the
    raw page keeps what pre-cleaning or the default mode wrongly dropped (a template
    naming its content blocks like boilerplate, short paragraphs, lists). The recall
    candidate wins only when it is clearly longer.
    """
    precise = run_mode(cleaned, url, "default")
    broad = run_mode(raw, url, "recall")
    if broad is not None:
        broad.mode = "raw-recall"
    if precise is None:
        return broad
    if broad is not None and precise.words < RECALL_SWITCH_SHARE * broad.words:
        return broad
    return precise
