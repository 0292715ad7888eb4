"""The mirrored prunes select exactly what trafilatura's XPaths select."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import html as lxml_html

from newsarchive.extract.prunes import lean_prunes

#: one element for each test of each mirrored XPath, and near misses; attribute order matters
#: where an XPath reads ``@a|@b`` (the first in the source)
PAGE = """<html><body>
<div id="x" class="cookie">first is id: no cookie test on the class</div>
<div class="cookie" id="x">first is class</div>
<section role="Navigation">role</section><span role="main">role, no</span>
<p data-component="MostPopularStoriesList">component</p><p data-lp-replacement-content="">lp</p>
<div class="share-tools">share</div><div class="unshared">no</div><div id="sharebox">id ^shar</div>
<div class="x ad y">ad</div><div class="shadow">no</div><div class="elementor-widget">widget</div>
<article class="widget">not a candidate tag</article><list class="menu-list">list</list>
<div class="comments-title">t</div><div id="reply-1" class="x">reply id first</div>
<div class="x" id="reply-2">class first: no</div><span style="color:red" id="hidden-thing">style first</span>
<span id="hidden-thing" style="color:red">id first</span><b style="display: none">none</b>
<i aria-hidden="true">aria</i><i aria-hidden="false">aria, no</i><em class="akismet">ak</em>
<div id="comments"><ol class="commentlist"><li>c</li></ol><ul id="comment-list">l</ul></div>
<ol id="comol">comol list</ol><details class="post-comments">d</details><div class="commentary">no</div>
<section class="infinite-scroll"><h1>kept: holds the h1</h1></section>
<section class="infinite-scroll">dropped</section><aside id="mvp-post-add-box"><h1>dropped</h1></aside>
<div class="elementor-share-buttons">e</div><div id="x-footer" class="a">id first: footer</div><div class="a" id="x-footer">class first: no</div>
<div id="Cookie-Banner">cookie</div><span class="Teaser-x">t</span><p id="myteaser">t</p><b class="teaser">no</b><div class="site-footer" id="y">footer</div><footer>f</footer>
<section><div class="x"><div class="post">first of its parent</div><div class="entry">second</div></div>
<article class="article-body">b</article></section>
</body></html>"""
#: the later article-container XPaths answer with the first match only: one page per test
CONTAINERS = [
    '<div><p>x</p><section class="x FullText">any case</section><div id="story">story</div></div>',
    '<div><div class="text">text</div></div>',
    '<div><main id="Main-Content">translate</main><div class="content">c</div></div>',
    '<div><div class="Page-Content">page</div></div>',
    '<div><section id="content-main">c</section></div>',
]


def _swaps() -> list[tuple[Any, str, list[Any]]]:
    return [(module, name, value) for module, name, value in lean_prunes()]  # type: ignore[misc]


def test_every_mirror_applies_to_the_installed_trafilatura() -> None:
    names = {(module.__name__, name) for module, name, _ in _swaps()}
    assert names == {("trafilatura.main_extractor", "OVERALL_DISCARD_XPATH"),
                     ("trafilatura.external", "OVERALL_DISCARD_XPATH"),
                     ("trafilatura.core", "RAW_TREE_PRUNE_XPATH"),
                     ("trafilatura.main_extractor", "BODY_XPATH"),
                     ("trafilatura.baseline", "BASIC_CLEAN_XPATH"),
                     ("trafilatura.main_extractor", "TEASER_DISCARD_XPATH"),
                     ("trafilatura.core", "REMOVE_COMMENTS_AND_LISTS_XPATH")}


@pytest.mark.parametrize("swap", _swaps(), ids=lambda s: f"{s[0].__name__}.{s[1]}")
def test_mirror_selects_what_the_xpath_selects(swap: tuple[Any, str, list[Any]]) -> None:
    module, name, mirrored = swap
    selected = 0
    for page in [PAGE, *CONTAINERS]:
        tree = lxml_html.fromstring(page)
        shipped_all = getattr(module, name)
        pairs = zip(shipped_all, mirrored, strict=True) if isinstance(mirrored, list) \
            else [(shipped_all, mirrored)]
        for shipped, ours in pairs:
            expected = shipped(tree)
            assert ours(tree) == expected  # same elements, same order
            selected += len(expected)
    assert selected >= 2


def test_a_changed_xpath_is_not_mirrored(monkeypatch: pytest.MonkeyPatch) -> None:
    from lxml.etree import XPath
    from trafilatura import core

    monkeypatch.setattr(core, "RAW_TREE_PRUNE_XPATH", [XPath(".//div"), XPath(".//p")])
    assert "RAW_TREE_PRUNE_XPATH" not in {name for _, name, _ in lean_prunes()}
