"""author_xpaths must find exactly what trafilatura's author XPaths find, in the same order."""

from __future__ import annotations

import pytest
from trafilatura.utils import load_html
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from newsarchive.extract.author_xpaths import AUTHOR_MATCHES, DISCARD_MATCHES

#: every test of every XPath hit at least once, with near misses beside each (case, tag, anchor)
PAGES = [
    """<html><body>
    <a rel="author">A1</a><span id="author">A2</span><p class="author">A3</p><strong itemprop="author name">A4</strong>
    <div data-testid="AuthorCard">A5</div><link data-testid="AuthorURL"><div class="x author-name">A6</div>
    <div class="AuthorName">A7</div><span class="authorname">A8</span><address class="by authorName y">A9</address>
    <author>A10</author><div><rel>me</rel>A11</div><span><rel>you</rel></span><h2 rel="author">no tag</h2>
    <h3 class="byline">B1</h3><h4 class="username">B2</h4><p class="byl">B3</p><span class="BBL">B4</span>
    <div class="bbl">b</div><a itemprop="creator author">B5</a><p id="post-zuozhe">B6</p><div id="xiaobian1">B7</div>
    <span class="channel-name">B8</span><span class="Author">no</span><div class="submitted-by posted-by">B9</div>
    <section data-component="ArticleByline">C1</section><li id="theAuthor">C2</li><em class="screenname">C3</em>
    <b class="writer">C4</b><i class="Byline">C5</i><i class="BYLINE">no</i><table itemprop="author">C6</table>
    </body></html>""",
    """<html><body>
    <div id="comments">x</div><div id="comments-2">x</div><span id="the-comment-list">x</span><a id="ProductReviews">x</a>
    <div class="comments">x</div><div class="title">x</div><span class="date">x</span><div class="Comments box">x</div>
    <div class="x comments">no anchor</div><section class="sidebar-left">x</section><div class="is-hidden">x</div>
    <span class="blockquote">x</span><div class="article-share">x</div><div class="article-support">x</div>
    <div class="printable">x</div><div class="category">x</div><div class="meta-date">x</div><a class="meta-reviewer">x</a>
    <div class="embedly-instagram">x</div><div data-component="FigureBlock">x</div><p class="comments">p is kept</p>
    <time>t</time><figure>f</figure><span class="by-author">Jane Doe</span>
    </body></html>""",
    # broken markup: libxml2 leaves a second top-level element, which // still reads
    '<html><body><p>x</p></body></html><html><div class="author">Late Author</div><div id="comments">c</div></html>',
]


@pytest.mark.parametrize("page", PAGES)
def test_same_elements_as_trafilatura(page: str) -> None:
    for xpath, ours in zip(AUTHOR_XPATHS + AUTHOR_DISCARD_XPATHS, AUTHOR_MATCHES + DISCARD_MATCHES, strict=True):
        tree = load_html(page)
        expected = [(e.tag, e.sourceline, e.text) for e in xpath(tree)]
        assert [(e.tag, e.sourceline, e.text) for e in ours(load_html(page))] == expected


def test_the_pages_hit_every_test() -> None:
    """Guards the test above: with nothing found it would pass for any implementation."""
    found = [sum(len(x(load_html(page))) for page in PAGES) for x in AUTHOR_XPATHS + AUTHOR_DISCARD_XPATHS]
    assert found[0] >= 11 and found[1] >= 9 and found[2] >= 6 and found[3] >= 15 and found[4] == 2
