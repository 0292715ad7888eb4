"""Extraction jobs that misbehave, for the process-pool tests (importable by children)."""

from __future__ import annotations

import os
import time

from newsarchive.extract import ExtractedArticle, ExtractOptions
from newsarchive.services.extraction import extract_job


def crashy_job(body: bytes, url: str, options: ExtractOptions) -> tuple[ExtractedArticle, int | None]:
    if b"CRASH" in body:
        os._exit(3)  # what a segfaulting parser does to its process
    if b"HANG" in body:
        time.sleep(60)
    if b"RAISE" in body:
        raise ValueError(f"cannot read {url}")
    return extract_job(body, url, options)
