"""The library swaps hold only inside the block, even when it raises, and never half-apply."""

from __future__ import annotations

import threading
import types

import pytest

from newsarchive.extract.patching import patched


def test_swapped_inside_restored_after_even_on_error() -> None:
    lib = types.SimpleNamespace(parser="shipped", finder="shipped finder")
    lock = threading.Lock()
    with patched(lock, [(lib, "parser", "lean"), (lib, "finder", "cut")]):
        assert (lib.parser, lib.finder) == ("lean", "cut")
        assert lock.locked()
    assert (lib.parser, lib.finder) == ("shipped", "shipped finder")
    with pytest.raises(RuntimeError), patched(lock, [(lib, "parser", "lean")]):
        raise RuntimeError("a library failure inside")
    assert lib.parser == "shipped" and not lock.locked()


def test_a_moved_name_leaves_the_library_as_shipped() -> None:
    lib = types.SimpleNamespace(parser="shipped")
    with patched(threading.Lock(), [(lib, "parser", "lean"), (lib, "gone", "x")]):
        assert lib.parser == "shipped" and not hasattr(lib, "gone")


def test_htmldate_is_as_shipped_outside_our_calls() -> None:
    from htmldate import core, extractors

    from newsarchive.extract import dates

    shipped = (core.search_page, extractors.has_date_cue, extractors._external_date)
    with dates._lean_htmldate():
        assert core.search_page is not shipped[0] and extractors.has_date_cue is not shipped[1]
    assert (core.search_page, extractors.has_date_cue, extractors._external_date) == shipped
