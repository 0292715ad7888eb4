"""Page templates in the markup of common real ones (WordPress, JSON-LD publishers, AMP...).

Each function takes the article's facts and returns the page's HTML; boilerplate
blocks are the ones such templates really carry.
"""

from __future__ import annotations

import html
import json
from typing import Any

E = html.escape
SHARE = ('<div class="share-bar"><span>Share this article</span><a href="https://twitter.com/intent">Twitter</a>'
         '<a href="https://facebook.com/sharer">Facebook</a><a href="mailto:?">Email</a></div>')
NEWSLETTER = ('<div class="newsletter-signup"><h3>Get our morning newsletter</h3><p>The day\'s top stories '
              'in your inbox every morning, free of charge.</p><form><input type="email"><button>Sign up</button></form></div>')
COOKIE = ('<div id="cookie-consent" class="cookie-banner"><p>We use cookies to improve your experience on '
          'our website. By continuing you agree to our cookie policy.</p><button>Accept</button></div>')
RELATED_TITLES = ["Budget row deepens as unions threaten strike", "Storm damage bill tops estimates",
                  "New ferry route to link island villages", "Council election turnout falls again"]


def paragraphs_html(paras: list[str]) -> str:
    out = []
    for p in paras:
        if p.startswith("## "):
            out.append(f"<h2>{E(p[3:])}</h2>")
        elif p.startswith("> "):
            out.append(f"<blockquote><p>{E(p[2:])}</p></blockquote>")
        elif p.startswith("* "):
            out.append(f"<ul><li>{E(p[2:])}</li></ul>")
        else:
            out.append(f"<p>{E(p)}</p>")
    return "\n".join(out).replace("</ul>\n<ul>", "")


def related_block(kind: str = "aside") -> str:
    items = "".join(f'<li><a href="/2024/01/0{i}/story-{i}/">{E(t)}</a></li>' for i, t in enumerate(RELATED_TITLES, 1))
    return f'<{kind} class="related-posts"><h2>You May Also Like</h2><ul>{items}</ul></{kind}>'


def jsonld(obj: dict[str, Any]) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


def wordpress(f: dict[str, Any]) -> str:
    """A classic WordPress theme: entry-header/entry-content, Jetpack share, comments, related."""
    body = paragraphs_html(f["body_html_paras"])
    yoast = jsonld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": f["site"], "url": f["root"]},
        {"@type": "Article", "headline": f["title"], "datePublished": f["published"],
         "author": {"@type": "Person", "name": f["ld_author"]}, "isPartOf": {"@id": f["root"]}},
    ]}) if f.get("ld_author") else ""
    return f"""<!DOCTYPE html><html lang="{f['lang_attr']}"><head><meta charset="{f.get('charset', 'UTF-8')}">
<title>{E(f['title'])} – {E(f['site'])}</title>
<meta property="og:type" content="article"><meta property="og:title" content="{E(f['title'])}">
<meta property="og:site_name" content="{E(f['site'])}"><link rel="canonical" href="{E(f['url'])}">
<meta property="article:published_time" content="{f['published']}">{yoast}
<style>.entry-content p {{ margin: 0 }}</style><script>var wp = {{}};</script></head>
<body class="post-template-default single single-post has-sidebar">
{COOKIE}
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/">{E(f['site'])}</a></p></div>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/category/news/">News</a></li><li><a href="/category/sport/">Sport</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article class="post type-post status-publish format-standard hentry">
<header class="entry-header"><h1 class="entry-title">{E(f['title'])}</h1>
<div class="entry-meta"><span class="byline">By <span class="author vcard"><a class="url fn n" href="/author/x/">{E(f['byline'])}</a></span></span>
<span class="posted-on"><time class="entry-date published" datetime="{f['published']}">{f['published'][:10]}</time></span></div></header>
<div class="entry-content">
{body}
{SHARE}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a href="#">Print</a></li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3><p>Harbour plan wins approval after long debate</p></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/news/">News</a></span><span class="tags-links">Tagged <a href="/tag/city/">city</a></span></footer>
</article>
<div class="author-bio"><h2>About the author</h2><p>{E(f['byline'])} writes about local politics and has covered the city hall for many years.</p></div>
<nav class="navigation post-navigation"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links"><div class="nav-previous"><a href="/prev/">Previous post: Markets rally on rate hopes</a></div></div></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on “{E(f['title'])}”</h2>
<ol class="comment-list"><li class="comment"><article class="comment-body"><p>Great piece, thanks for covering the council meeting in such detail.</p></article></li></ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form id="commentform" class="comment-form"><p class="comment-notes">Your email address will not be published. Required fields are marked *</p><textarea></textarea></form></div></div>
{related_block()}
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul><li><a href="/a/">Storm damage bill tops estimates</a></li></ul></section></aside></div>
<footer id="colophon" class="site-footer"><p>© 2024 {E(f['site'])}. All rights reserved. Powered by WordPress.</p></footer>
</body></html>"""


def publisher(f: dict[str, Any]) -> str:
    """A news publisher with NewsArticle JSON-LD, breadcrumbs, figure, teasers and a footer."""
    ld = {"@context": "https://schema.org", "@type": f.get("ld_type", "NewsArticle"), "headline": f["title"],
          "datePublished": f["published"], "dateModified": f.get("modified", f["published"]),
          "author": [{"@type": "Person", "name": a} for a in f["authors"]],
          "publisher": {"@type": "Organization", "name": f["site"]},
          "image": {"@type": "ImageObject", "url": f["image"]}, "description": f["description"],
          "articleSection": f.get("section", "News"), "inLanguage": f["lang_attr"]}
    if "free" in f:
        ld["isAccessibleForFree"] = f["free"]
    byline = " and ".join(f"<a href=\"/authors/{i}\">{E(a)}</a>" for i, a in enumerate(f["authors"]))
    byline_word = f.get("by_word", "By")
    return f"""<!doctype html><html lang="{f['lang_attr']}"><head><meta charset="{f.get('charset', 'utf-8')}">
<title>{E(f['title'])} | {E(f['site'])}</title><link rel="canonical" href="{E(f['url'])}">
<meta name="description" content="{E(f['description'])}"><meta property="og:image" content="{E(f['image'])}">
<meta property="og:site_name" content="{E(f['site'])}"><meta property="og:type" content="article">
{jsonld(ld)}</head>
<body><a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><nav aria-label="Main"><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav></header>
<main id="main"><ol class="breadcrumbs"><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ol>
<article class="story"><h1 class="story-headline">{E(f['title'])}</h1>
<div class="story-meta"><span class="byline">{byline_word} {byline}</span> <time datetime="{f['published']}">{f['published'][:10]}</time></div>
<figure class="lead-image"><img src="{E(f['image'])}" alt="Council chamber"><figcaption>The council chamber. <span class="credit">Photo: Agency</span></figcaption></figure>
{SHARE}
<div class="article-body">{paragraphs_html(f['body_html_paras'])}
<div class="ad-slot ad-container"><span>Advertisement</span></div>
<aside class="read-more-teaser"><h4>Read more</h4><a href="/x">Council election turnout falls again</a></aside>
{f.get('after_body', '')}</div>
{NEWSLETTER}
<div class="tag-list"><a href="/tag/city">City</a> <a href="/tag/budget">Budget</a></div>
</article>
<section class="more-from"><h2>More from {E(f['site'])}</h2>{''.join(f'<article class="teaser"><h3><a href="/s{i}">{E(t)}</a></h3></article>' for i, t in enumerate(RELATED_TITLES))}</section>
</main>
<footer class="site-footer"><p>© {E(f['site'])} <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p></footer>
{COOKIE}</body></html>"""


def amp(f: dict[str, Any]) -> str:
    ld = {"@context": "http://schema.org", "@type": "NewsArticle", "headline": f["title"],
          "datePublished": f["published"], "author": {"@type": "Person", "name": f["authors"][0]},
          "publisher": {"@type": "Organization", "name": f["site"]}, "image": [f["image"]]}
    return f"""<!doctype html><html ⚡ lang="{f['lang_attr']}"><head><meta charset="utf-8">
<title>{E(f['title'])} - {E(f['site'])}</title><link rel="canonical" href="{E(f['url'])}">
<meta name="viewport" content="width=device-width"><script async src="https://cdn.ampproject.org/v0.js"></script>
<style amp-custom>body {{ font-family: serif }}</style>{jsonld(ld)}</head>
<body><amp-sidebar id="sidebar" layout="nodisplay"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></amp-sidebar>
<header class="amp-header"><a href="/">{E(f['site'])}</a></header>
<article class="amp-article"><h1>{E(f['title'])}</h1><p class="amp-byline">By {E(f['authors'][0])}</p>
<amp-img src="{E(f['image'])}" width="800" height="450" layout="responsive" alt="Image"></amp-img>
<div class="amp-article-content">{paragraphs_html(f['body_html_paras'])}</div>
<amp-social-share type="twitter"></amp-social-share><amp-ad width="300" height="250" type="doubleclick"></amp-ad>
<div class="amp-related"><h3>Related Stories</h3><ul><li><a href="/r1">{E(RELATED_TITLES[0])}</a></li><li><a href="/r2">{E(RELATED_TITLES[1])}</a></li></ul></div>
</article><footer class="amp-footer"><p>Copyright {E(f['site'])}</p></footer></body></html>"""


def liveblog(f: dict[str, Any]) -> str:
    ld = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": f["title"],
          "datePublished": f["published"], "coverageStartTime": f["published"],
          "author": {"@type": "Person", "name": f["authors"][0]}, "publisher": {"@type": "Organization", "name": f["site"]}}
    posts = []
    for i, p in enumerate(f["body_html_paras"]):
        if p.startswith("## "):
            posts.append(f'<div class="live-post"><time datetime="{f["published"]}">{10 + i}:00</time><h2>{E(p[3:])}</h2>')
        else:
            posts.append(f"<p>{E(p)}</p>")
    html_posts = "".join(posts).replace('<div class="live-post">', '</div><div class="live-post">', ).removeprefix("</div>") + "</div>"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{E(f['title'])} | {E(f['site'])}</title>
<meta property="og:site_name" content="{E(f['site'])}"><link rel="canonical" href="{E(f['url'])}">{jsonld(ld)}</head>
<body><nav class="top-nav"><a href="/">Home</a><a href="/live">Live</a></nav>
<main><h1>{E(f['title'])}</h1><p class="byline">By {E(f['authors'][0])}</p>
<div class="live-blog-stream">{html_posts}</div>
<div class="live-share social-share">Share this live blog</div>
<section class="trending"><h2>Trending</h2><ol><li><a href="/t1">{E(RELATED_TITLES[2])}</a></li><li><a href="/t2">{E(RELATED_TITLES[3])}</a></li></ol></section></main>
<footer><p>All times local.</p><p>© {E(f['site'])}</p></footer></body></html>"""


def listing(f: dict[str, Any]) -> str:
    """A section front, tag, author or search page: teasers and nothing else."""
    teasers = "".join(
        f'<article class="post-{i} post type-post"><h2 class="entry-title"><a href="/2024/02/{i:02d}/story-{i}/">{E(t)}</a></h2>'
        f'<div class="entry-summary"><p>{E(s[:140])}…</p></div><a class="more-link" href="/2024/02/{i:02d}/story-{i}/">Read more</a></article>'
        for i, (t, s) in enumerate(zip(f["titles"], f["summaries"], strict=False), 1))
    return f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>{E(f['title'])} – {E(f['site'])}</title>
<meta property="og:type" content="website"><meta property="og:site_name" content="{E(f['site'])}">
{jsonld({"@context": "https://schema.org", "@type": "CollectionPage", "name": f["title"]}) if f.get("schema") else ""}</head>
<body class="archive category"><header class="site-header"><nav><a href="/">Home</a><a href="/category/news/">News</a></nav></header>
<main id="main"><header class="page-header"><h1 class="page-title">{E(f['title'])}</h1></header>{teasers}
<nav class="pagination"><a href="?page=2">Next page</a></nav></main><footer><p>© {E(f['site'])}</p></footer></body></html>"""


def gallery(f: dict[str, Any]) -> str:
    imgs = "".join(f'<figure><img src="/img/{i}.jpg" alt="Photo {i}"><figcaption>Photo {i} of the parade.</figcaption></figure>' for i in range(12))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{E(f['title'])} | {E(f['site'])}</title>
<meta property="og:type" content="article"></head><body><nav><a href="/">Home</a></nav>
<main><h1>{E(f['title'])}</h1><div class="gallery">{imgs}</div></main><footer>© {E(f['site'])}</footer></body></html>"""


def guide(f: dict[str, Any]) -> str:
    """An institutional 'guide' article: no article schema, og:type website, a logo <h1> with the
    site's name before the headline, an SEO variant of the headline in <title>/og:title, a big
    navigation menu and a 'Text by' byline."""
    menu = "".join(f'<li><a href="/topics/{i}">Topic number {i} overview</a></li>' for i in range(40))
    seo = f"{f['title']} in 2024: Tips, Costs & More"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{E(seo)} | {E(f['site'])}</title>
<meta property="og:title" content="{E(seo)}"><meta property="og:type" content="website">
<meta property="og:site_name" content="{E(f['site'])}"><link rel="canonical" href="{E(f['url'])}">
{jsonld({"@context": "https://schema.org", "@type": "WebPage", "name": seo})}</head>
<body><header class="site-header"><h1 class="site-title"><a href="/">{E(f['site'])}</a></h1>
<ul class="mega-menu">{menu}</ul></header>
<div class="page-wrap"><div class="content-area"><h1 class="page-heading">{E(f['title'])}</h1>
<p class="byline">Text by {E(f['authors'][0])}</p><time datetime="{f['published']}">{f['published'][:10]}</time>
{paragraphs_html(f['body_html_paras'])}</div>
<div class="sidebar"><h3>Quick links</h3><ul><li><a href="/apply">Apply</a></li><li><a href="/contact">Contact</a></li></ul></div></div>
<footer class="site-footer"><p>© {E(f['site'])}</p><ul>{menu}</ul></footer></body></html>"""


def forum(f: dict[str, Any]) -> str:
    """A forum thread: one question and many replies, each with a user card and a timestamp."""
    posts = "".join(
        f'<div class="post reply" id="post-{i}"><div class="user-card"><img class="avatar" src="/u/{i}.png" alt="">'
        f'<span class="username">member{i}</span></div><time datetime="2024-03-0{1 + i % 9}T10:00:00Z">March {1 + i % 9}</time>'
        f'<div class="post-body"><p>{E(p)}</p></div><div class="post-actions"><a href="#reply">Reply</a> <span class="votes">{i} votes</span></div></div>'
        for i, p in enumerate(f["body_html_paras"]))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{E(f['title'])} - Community Forum</title>
<meta property="og:type" content="website"></head>
<body><header><nav><a href="/">Forums</a> <a href="/latest">Latest</a></nav></header>
<main><h1 class="topic-title">{E(f['title'])}</h1>{posts}
<form class="reply-form"><textarea></textarea><button>Post reply</button></form></main>
<footer><p>Powered by a forum engine</p></footer></body></html>"""


def product(f: dict[str, Any]) -> str:
    """A shop's product page: Product schema, prices, add-to-cart and a long description."""
    ld = {"@context": "https://schema.org", "@type": "Product", "name": f["title"],
          "offers": {"@type": "Offer", "price": "129.00", "priceCurrency": "USD"}}
    related = "".join(f'<div class="product-card"><a href="/products/item-{i}">Item {i}</a><span class="price">${20 + i}.99</span></div>'
                      for i in range(8))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{E(f['title'])} | {E(f['site'])} Shop</title>
<meta property="og:type" content="product">{jsonld(ld)}</head>
<body><header><nav><a href="/">Shop</a> <a href="/cart">Cart</a></nav></header>
<main><h1 class="product-title">{E(f['title'])}</h1><div class="product-price">$129.00</div>
<form class="add-to-cart"><select class="variant"><option>Blue</option></select><input class="quantity" value="1">
<button>Add to cart</button></form><div class="product-description">{paragraphs_html(f['body_html_paras'])}</div>
<div class="rating stars">4.5 out of 5</div><section class="related-products">{related}</section></main>
<footer><p>© {E(f['site'])}</p></footer></body></html>"""
