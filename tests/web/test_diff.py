"""The readable diff: paragraphs aligned, words inside an edited paragraph."""

from __future__ import annotations

import pytest

from newsarchive.errors import NotFound
from newsarchive.services.diff import diff_texts, version_diff
from newsarchive.storage.db import Database
from tests.web.conftest import store_article


def test_paragraph_and_word_changes() -> None:
    old = "First stays.\n\nThe mayor said ten people were hurt.\n\nDropped entirely here."
    new = "First stays.\n\nThe mayor said twelve people were hurt.\n\nA brand new ending."
    diff = diff_texts(old, new)
    ops = [b.op for b in diff.blocks]
    assert ops == ["equal", "replace", "delete", "insert"]
    edited = diff.blocks[1].spans
    assert [(s.op, s.text.strip()) for s in edited if s.op != "equal"] == [
        ("delete", "ten"), ("insert", "twelve")]
    assert diff.changed and (diff.added, diff.removed) == (2, 2)
    assert not diff_texts(old, old).changed


def test_version_diff_defaults_and_errors(db: Database) -> None:
    url = "https://example.com/story"
    article_id = store_article(db, url, title="One", text="Alpha.\n\nBeta.")
    store_article(db, url, title="Two", text="Alpha.\n\nBeta gamma.")
    diff = version_diff(db=db, article_id=article_id)
    assert (diff.a, diff.b, diff.title_a, diff.title_b) == (1, 2, "One", "Two")
    assert diff.versions == [1, 2]
    with pytest.raises(NotFound):
        version_diff(db=db, article_id=article_id, a=3)
    with pytest.raises(NotFound):
        version_diff(db=db, article_id=article_id + 100)
