"""News pages written the way real templates write them, for the tests to serve."""

from __future__ import annotations

import html
import json
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_TEXT_PATHS = sorted((SHARED / "seed").glob("*.txt")) if (SHARED / "seed").exists() else []

SEED_BULLETS = [
    "Ukraine’s second-largest city, Kharkiv, hit by intensifying shelling.",
    "Huge convoy of Russian forces approaching Kyiv.",
    "“Logistical difficulties” slow Russian forces’ advance, U.K. says.",
    "First talks between Ukraine and Russia conclude with no immediate breakthrough on Monday.",
]
SEED_PARAGRAPHS = [
    "Satellite images captured by an American firm, Maxar Technologies, showed what it said was a roughly 40-mile convoy of Russian tanks and armored vehicles approaching Kyiv. But Russia’s advance on Ukraine’s capital has made little progress in the past 24 hours due to logistical difficulties, Britain’s defense ministry said Tuesday.",
    "Moscow had also increased its use of artillery north of Kyiv and around Kharkiv and Chernihiv, according to the update posted on Twitter.",
    "“Russia has failed to gain control of the airspace over Ukraine prompting a shift to night operations in an attempt to reduce their losses,” it said.",
    "The first talks between the two countries since Russia invaded its democratic neighbor last week concluded with no immediate breakthrough on Monday.",
    "Ukrainian President Volodymyr Zelenskyy said he believed Russia stepped-up its shelling to force his hand.",
    "“We could see the synchronization of the shelling with the negotiation process. I believe that in this unsophisticated way Russia is trying to put pressure,” he said. “Fair negotiations can be when one side does not hit the other side with rocket artillery at the moment of negotiations.”",
    "U.S. intelligence agencies have determined that the Russian leader is growing increasingly frustrated as his purportedly superior military force appears bogged down, and may see his only option as doubling down on violence, current and former U.S. officials briefed on the matter told NBC News.",
    "The International Criminal Court said in a statement Monday that it will open an investigation into possible war crimes or crimes against humanity in Ukraine.",
    "The prospect of a diplomatic resolution to the crisis is unlikely at the moment, Britain’s Deputy Prime Minister Dominic Raab said on LBC radio on Tuesday.",
    "“I think the prospects for diplomacy at the moment are slim, but we must always make sure that we keep the door to a diplomatic resolution open without, I think, instilling too many hopes in it,” he said.",
    "Ken Dilanian, Anastasiia Parafeniuk and Reuters contributed.",
]
SEED_TITLE = "Russian convoy stalls outside Kyiv as shelling of Kharkiv intensifies"
SEED_BOILERPLATE = [
    "Leave a Reply",
    "Your email address will not be published.",
    "You May Also Like",
    "Biden’s broken climate promises",
    "This article originally belongs to",
    "Heat and tropical storms batter the Midwest and the South",
]


def seed_page(title: str = SEED_TITLE, paragraphs: list[str] | None = None,
              published: str = "2022-03-01T10:15:00+00:00", author: str = "admin",
              site: str = "World News Today") -> str:
    """An aggregator's WordPress copy of an NBC News article, as the seed was found."""
    paras = paragraphs if paragraphs is not None else SEED_PARAGRAPHS
    bullets = "".join(f"<li>{html.escape(b)}</li>" for b in SEED_BULLETS)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    related = "".join(
        f'<article class="post"><h3 class="entry-title"><a href="/2021/11/0{i}/related-story-{i}/">{html.escape(t)}</a></h3>'
        f"<p>{html.escape(s)}</p></article>"
        for i, (t, s) in enumerate([
            ("Biden’s broken climate promises", "This year’s United Nations Climate Change Conference, known as COP26, is being…"),
            ("Texas judge to consider pregnant woman’s request for order allowing her to have an abortion", "AUSTIN, Texas — Texas’ strict abortion ban will face an unprecedented test…"),
            ("Heat and tropical storms batter the Midwest and the South", "Heat index values remained elevated across the Midwest on Wednesday, with combined…"),
            ("73 million people under heat alerts as high temperatures expand into Northeast", "At least 73 million people were under heat alerts Thursday as high…"),
        ], start=1)
    )
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8">
<title>{html.escape(title)} – {html.escape(site)}</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="{html.escape(site)}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{html.escape(author)}">
</head>
<body class="post-template-default single single-post">
<header id="masthead"><nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/category/world/">World</a></li><li><a href="/category/politics/">Politics</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-1234" class="post-1234 post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{html.escape(title)}</h1>
<div class="entry-meta"><span class="byline">By <a class="url fn n" href="/author/admin/">{html.escape(author)}</a></span>
<time class="entry-date published" datetime="{published}">March 1, 2022</time></div></header>
<div class="entry-content">
<p>Latest updates on Ukraine:</p>
<ul>{bullets}</ul>
{body}
<p>Source: | This article originally belongs to Nbcnews.com</p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a href="https://twitter.com/share">Twitter</a></li><li><a href="https://facebook.com/share">Facebook</a></li></ul></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/world/">World</a></span></footer>
</article>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> Required fields are marked <span class="required">*</span></p>
<p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment"></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p>
</form></div></div>
<aside class="related-posts"><h2 class="related-title">You May Also Like</h2>{related}</aside>
</main></div></div>
<footer id="colophon" class="site-footer"><p>© 2022 {html.escape(site)}. All rights reserved.</p></footer>
</body></html>"""


def publisher_page(title: str, paragraphs: list[str], *, author: str = "Jane Doe",
                   published: str = "2024-05-01T08:00:00+00:00", site: str = "Example Times",
                   lang: str = "en", canonical: str | None = None) -> str:
    """A publisher page with JSON-LD NewsArticle metadata."""
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
        "datePublished": published, "author": [{"@type": "Person", "name": author}],
        "publisher": {"@type": "Organization", "name": site},
    }
    canon = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site)}</title>{canon}
<meta property="og:site_name" content="{html.escape(site)}">
<script type="application/ld+json">{json.dumps(ld)}</script></head>
<body><nav><a href="/">Home</a> <a href="/section/world">World</a></nav>
<main><article><h1>{html.escape(title)}</h1><p class="byline">By {html.escape(author)}</p>
<div class="article-body">{body}</div></article></main>
<footer><a href="/about">About us</a> <a href="/privacy">Privacy</a></footer></body></html>"""


def lorem_paragraphs(seed: int, n: int = 6) -> list[str]:
    """Distinct readable paragraphs so different articles never look alike."""
    words = ("council budget river bridge school teachers mayor voters harbor storm energy "
             "prices hospital nurses railway station museum festival farmers harvest court "
             "judge ruling election ballot county police report drought water reservoir").split()
    out = []
    for i in range(n):
        rot = [(seed * 7 + i * 13 + j * 3) % len(words) for j in range(28)]
        sentence = " ".join(words[k] for k in rot)
        out.append(f"Story {seed} paragraph {i}: the {sentence.capitalize()}. "
                   f"Officials said on day {seed + i} that the plan would be reviewed again.")
    return out
