"""Page links on a realistic homepage: articles in, everything else out."""

from __future__ import annotations

from newsarchive.discover.links import article_links, looks_like_article_url, page_candidates

BASE = "https://www.dailyexample.com/"

HOMEPAGE = """<!doctype html><html><head><title>Daily Example</title></head><body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><a href="/"><img src="/logo.png" alt="Daily Example"></a>
 <nav class="main-nav" role="navigation"><ul>
  <li><a href="/world/">World</a></li><li><a href="/politics/">Politics</a></li>
  <li><a href="/business/markets/">Markets</a></li><li><a href="/sport">Sport</a></li>
  <li><a href="/opinion/columnists/the-long-view-on-everything-daily">The Long View</a></li>
 </ul></nav>
 <form class="search" action="/search"><input name="q"></form>
</header>
<main id="main">
 <section class="top-story">
  <a href="/world/2024/05/01/flood-waters-rise-in-river-town?utm_source=home"><img src="/i/flood.jpg" alt=""></a>
  <h2 class="headline"><a href="/world/2024/05/01/flood-waters-rise-in-river-town">Flood waters rise in river town as storm stalls</a></h2>
  <p class="byline">By <a rel="author" href="/author/jane-doe/">Jane Doe</a></p>
  <a href="/world/2024/05/01/flood-waters-rise-in-river-town#comments">12 comments</a>
 </section>
 <div class="card-grid">
  <div class="card"><h3><a href="/business/central-bank-holds-rates-steady-amid-uncertainty">Central bank holds rates steady amid uncertainty</a></h3>
   <ul class="tags"><li><a href="/tag/economy/">Economy</a></li><li><a href="/topics/interest-rates/">Interest rates</a></li></ul></div>
  <div class="card"><h3><a href="/sport/12345678">Local side wins the cup after extra time</a></h3></div>
  <article class="teaser"><a href="/politics/election-count-delayed-by-ballot-dispute.html">Election count delayed by ballot dispute</a></article>
  <div class="card"><h3><a href="https://other-site.example.org/2024/05/01/syndicated-story-here">Syndicated story from elsewhere</a></h3></div>
  <div class="card"><h3><a href="https://live.dailyexample.com/2024/05/01/markets-open-lower-on-rate-fears">Markets open lower on rate fears</a></h3></div>
 </div>
 <section class="section-block"><h2 class="section-title"><a href="/world/">World news today</a></h2></section>
 <nav class="pagination"><a href="/page/2/">2</a> <a rel="next" href="/?page=2">Next page</a></nav>
 <a href="/2024/05/">May 2024</a>
 <a href="/video/watch-the-storm-roll-in-over-the-bay">Watch the storm roll in over the bay</a>
 <a href="/files/annual-report-2024-final.pdf">Annual report 2024 final</a>
 <a href="mailto:tips@dailyexample.com">Send us a tip</a>
</main>
<aside class="sidebar"><h4>Most read</h4><ol>
 <li><a href="/world/2024/04/30/bridge-closure-extended-for-repairs">Bridge closure extended for repairs this summer</a></li>
 <li><a href="/lifestyle/ten-things">Ten things</a></li>
</ol></aside>
<footer class="site-footer"><a href="/about-us/our-company-and-our-history">About us</a>
 <a href="/privacy">Privacy</a><a href="/contact">Contact</a>
 <a href="https://twitter.com/dailyexample">Twitter</a>
 <div class="share"><a href="/share/flood-waters-rise-in-river-town">Share</a></div>
</footer></body></html>"""


def test_homepage_articles_only_in_page_order() -> None:
    assert article_links(HOMEPAGE, BASE) == [
        "https://www.dailyexample.com/world/2024/05/01/flood-waters-rise-in-river-town",
        "https://www.dailyexample.com/business/central-bank-holds-rates-steady-amid-uncertainty",
        "https://www.dailyexample.com/sport/12345678",
        "https://www.dailyexample.com/politics/election-count-delayed-by-ballot-dispute.html",
        "https://live.dailyexample.com/2024/05/01/markets-open-lower-on-rate-fears",
        "https://www.dailyexample.com/world/2024/04/30/bridge-closure-extended-for-repairs",
    ]


def test_candidates_carry_the_headline_not_the_image_link() -> None:
    first = page_candidates(HOMEPAGE, BASE)[0]
    assert first.title == "Flood waters rise in river town as storm stalls"
    assert first.source == "page"


def test_url_shapes() -> None:
    yes = ["https://e.com/2024/05/01/story", "https://e.com/news/a-long-slug-for-a-story",
           "https://e.com/news/world-europe-68912345", "https://e.com/a/20240501/storm"]
    no = ["https://e.com/", "https://e.com/world/", "https://e.com/tag/economy-and-markets-news",
          "https://e.com/author/jane-doe-the-writer", "https://e.com/page/2/",
          "https://e.com/news?page=3", "https://e.com/img/a-long-image-name-here.jpg",
          "https://e.com/2024/05/"]
    assert all(looks_like_article_url(u) for u in yes), [u for u in yes if not looks_like_article_url(u)]
    assert not any(looks_like_article_url(u) for u in no), [u for u in no if looks_like_article_url(u)]


def test_base_href_and_garbage_links() -> None:
    html = """<base href="https://e.com/news/"><h2><a href="a-relative-article-slug-here">Relative article slug here now</a></h2>
<a href="http://[broken">Broken link text here</a><a href="">x</a>"""
    assert article_links(html, "https://e.com/") == ["https://e.com/news/a-relative-article-slug-here"]
