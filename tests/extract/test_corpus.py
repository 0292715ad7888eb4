"""Golden pages: every field of every corpus page, and a quality gate that fails when F1 drops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.extraction import body_scores
from newsarchive.extract import extract

PAGES = sorted((Path(__file__).resolve().parents[1] / "corpus" / "pages").glob("*.html"))
#: the corpus is written to be extractable exactly; below this the extractor has regressed
MIN_CORPUS_F1 = 0.97


def _load(path: Path) -> tuple[bytes, dict]:
    return path.read_bytes(), json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_corpus_is_big_enough() -> None:
    assert len(PAGES) >= 40


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_corpus_page(path: Path) -> None:
    raw, exp = _load(path)
    rec = extract(raw, exp["url"])
    assert rec.is_article == exp["is_article"], (rec.page_type, rec.reason)
    for phrase in exp["must_not_contain"]:
        assert phrase not in rec.text and phrase not in rec.html, phrase
    if not exp["is_article"]:
        assert rec.reason
        return
    for name in ("title", "authors", "language", "site_name", "canonical_url", "original_source", "access"):
        assert getattr(rec, name) == exp[name], name
    assert rec.published_at is not None and rec.published_at.isoformat() == exp["published_at"]
    precision, recall = body_scores(rec.text, exp["text"])
    assert precision is not None and precision >= 0.97 and recall >= 0.97, (precision, recall)
    assert rec.word_count > 0 and rec.content_hash and rec.extractor_version


def test_corpus_quality_gate() -> None:
    ps, rs = [], []
    for path in PAGES:
        raw, exp = _load(path)
        if exp["is_article"]:
            p, r = body_scores(extract(raw, exp["url"]).text, exp["text"])
            ps.append(p or 0.0)
            rs.append(r)
    precision, recall = sum(ps) / len(ps), sum(rs) / len(rs)
    assert 2 * precision * recall / (precision + recall) >= MIN_CORPUS_F1
