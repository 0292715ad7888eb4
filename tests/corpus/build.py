"""Writes the golden corpus: tests/corpus/pages/NN-name.html + NN-name.json (expected Article).

Run once after changing a template: ``.venv/bin/python -m tests.corpus.build``. The
expected values come from the facts fed to the templates, never from the extractor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.corpus import templates as T
from tests.corpus.texts import DE, ES, FR, JA, RU, english

PAGES = Path(__file__).resolve().parent / "pages"
BOILER = ["Leave a Reply", "Your email address will not be published", "You May Also Like",
          "Share this", "We use cookies", "morning newsletter", "About the author", "Previous post",
          "Recent Posts", "Advertisement", "More from", "Trending", "Storm damage bill tops estimates",
          "All rights reserved", "Great piece, thanks"]
SYNDICATION = [("Source: | This article originally belongs to Nbcnews.com", "Nbcnews.com"),
               ("This story first appeared on The Conversation.", "The Conversation"),
               ("Originally published by Grist.", "Grist"),
               ("This article was originally published on ProPublica.", "ProPublica")]
SITES = [("Riverside Daily", "https://riverside-daily.example"), ("Valley Courier", "https://valleycourier.example"),
         ("The Harbour Post", "https://harbourpost.example"), ("Metro Ledger", "https://metroledger.example")]


def _plain(paras: list[str]) -> list[str]:
    return [p[2:] if p[:2] in ("> ", "* ") else p[3:] if p.startswith("## ") else p for p in paras]


def _base(i: int, title: str, paras: list[str], **extra: Any) -> dict[str, Any]:
    site, root = SITES[i % len(SITES)]
    day = 1 + i % 27
    f = {"site": site, "root": root, "title": title, "body_html_paras": paras,
         "url": f"{root}/2024/0{1 + i % 9}/{day:02d}/story-{i}/",
         "published": f"2024-0{1 + i % 9}-{day:02d}T0{i % 10}:30:00+0{i % 3}:00", "lang_attr": "en-US",
         "language": "en", "authors": ["Jane Holloway"], "image": f"{root}/images/lead-{i}.jpg",
         "description": f"Summary of story {i}.", "byline": "Jane Holloway", "ld_author": None}
    f.update(extra)
    return f


def _expect(f: dict[str, Any], *, text: list[str] | None = None, **over: Any) -> dict[str, Any]:
    exp = {"url": f["url"], "title": f["title"], "authors": f["authors"], "published_at": f["published"],
           "language": f["language"], "site_name": f["site"], "canonical_url": f["url"],
           "original_source": None, "access": "free", "is_article": True,
           "text": "\n\n".join(text if text is not None else _plain(f["body_html_paras"])),
           "must_not_contain": BOILER}
    exp.update(over)
    return exp


TITLES = ["Council approves biggest transit budget in a decade", "Drought forces early harvest across the valley",
          "Century-old rail bridge reopens to walkers and cyclists", "Hospital to open second emergency department",
          "Museum reopens with new wing after two-year renovation", "Court orders county to reopen polling stations",
          "Festival passes off peacefully, police say", "Ferry operator adds winter sailings",
          "Teachers accept new pay offer after long dispute", "Reservoir levels fall to twenty-year low"]


def specs() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
    # 1-10: WordPress aggregator copies (the seed's shape), with syndication and contributor lines
    for i in range(10):
        paras = english(i, 5 + i % 3)
        if i % 2 == 0:
            paras = ["Key points:", "* " + paras[0][:80], "* " + paras[1][:90]] + paras[2:]
        if i % 3 == 0:
            paras.insert(2, "## What happens next")
        paras.append("Ken Dilanian, Anastasiia Parafeniuk and Reuters contributed.")
        line, src = SYNDICATION[i % len(SYNDICATION)]
        admin = i % 2 == 0
        f = _base(i, TITLES[i], paras + [line], byline="admin" if admin else "Jane Holloway",
                  ld_author=None if admin else "Jane Holloway")
        authors = ["Ken Dilanian", "Anastasiia Parafeniuk"] if admin else ["Jane Holloway"]
        out.append((f"wp-aggregator-{i}", "wordpress", f, _expect(f, authors=authors, original_source=src,
                                                                      text=_plain(paras))))
    # 11-20: publishers with JSON-LD, several authors, subheadings, quotes, figures
    for i in range(10, 20):
        paras = english(i, 6)
        paras.insert(3, "## " + ("Reaction" if i % 2 else "Background"))
        paras.insert(5, "> " + paras[5])
        del paras[6]
        authors = ["Jane Holloway", "Marcus Webb"] if i % 2 else ["Priya Raman"]
        f = _base(i, TITLES[i % 10] + (" as critics object" if i % 3 == 0 else ""), paras, authors=authors,
                  modified=f"2024-0{1 + i % 9}-{1 + i % 27:02d}T18:00:00+00:00")
        out.append((f"publisher-{i}", "publisher", f, _expect(f, authors=authors)))
    # 21-24: AMP
    for i in range(20, 24):
        f = _base(i, TITLES[i % 10], english(i, 5), authors=["Tom Reilly"])
        out.append((f"amp-{i}", "amp", f, _expect(f)))
    # 25-27: live blogs
    for i in range(24, 27):
        paras = english(i, 6)
        paras = ["## Update: first reports", paras[0], paras[1], "## Update: officials respond", paras[2], paras[3], paras[4]]
        f = _base(i, "Live: " + TITLES[i % 10], paras, authors=["Sam Okafor"])
        out.append((f"liveblog-{i}", "liveblog", f, _expect(f)))
    # 28-30: paywalled teasers
    for i in range(27, 30):
        paras = english(i, 3)
        wall = ('<div class="paywall-prompt"><p>Subscribe to continue reading. Already a subscriber? Log in.</p></div>')
        f = _base(i, TITLES[i % 10], paras, free=False if i != 29 else "False", after_body=wall)
        out.append((f"paywall-{i}", "publisher", f, _expect(f, access="paywalled")))
    # 31-36: other languages and encodings
    langs = [("de", DE, "de-DE", "iso-8859-1", "Stadtrat beschließt größten Nahverkehrshaushalt seit zehn Jahren", "Von"),
             ("es", ES, "es-ES", "utf-8", "El ayuntamiento aprueba el mayor presupuesto de transporte en una década", "Por"),
             ("ru", RU, "ru-RU", "windows-1251", "Городской совет утвердил крупнейший бюджет на транспорт за десять лет", "Автор:"),
             ("ja", JA, "ja", "shift_jis", "市議会、過去10年で最大の交通予算を可決", "文："),
             ("fr", FR, "fr-FR", "utf-8", "Le conseil municipal adopte le plus gros budget transport depuis dix ans", "Par"),
             ("de", DE[::-1], "en-US", "utf-8", "Neue Fahrpläne ab September: Anhörung beginnt", "Von")]
    for j, (lang, paras, attr, charset, title, by) in enumerate(langs):
        i = 30 + j
        f = _base(i, title, list(paras), lang_attr=attr, language=lang, charset=charset, by_word=by,
                  authors=["Anna Schmidt"] if lang == "de" else ["Elena Petrova"] if lang == "ru" else ["Luis García"])
        out.append((f"lang-{lang}-{i}", "publisher", f, _expect(f)))
    # 37-41: pages that are not articles
    titles = [t for t in TITLES]
    summaries = english(3, 10)
    for j, (kind, title, schema) in enumerate([("section", "News", False), ("tag", "Tag: budget", False),
                                               ("author", "Author: Jane Holloway", True),
                                               ("search", "Search results for “bridge”", False)]):
        i = 36 + j
        f = _base(i, title, [], titles=titles, summaries=summaries, schema=schema)
        f["url"] = {"section": f"{f['root']}/category/news/", "tag": f"{f['root']}/tag/budget/",
                    "author": f"{f['root']}/author/jane-holloway/", "search": f"{f['root']}/?s=bridge"}[kind]
        out.append((f"listing-{kind}-{i}", "listing", f,
                    {"url": f["url"], "is_article": False, "site_name": f["site"], "must_not_contain": []}))
    f = _base(40, "In pictures: the harbour parade", [])
    out.append(("gallery-40", "gallery", f, {"url": f["url"], "is_article": False, "must_not_contain": []}))
    # 42-44: a Blogger-like and a Ghost-like article, and a dateline-only page
    for i in range(41, 44):
        f = _base(i, TITLES[i % 10], english(i, 6), authors=["Olivia Grant"], byline="Olivia Grant",
                  ld_author="Olivia Grant", lang_attr="en")
        out.append((f"wp-personal-{i}", "wordpress", f, _expect(f)))
    # 45-47: an institutional guide without article metadata (an article: losing it is the worst
    # error), a forum thread and a shop's product page (not articles despite their long text)
    f = _base(44, "How to plan a community garden", english(44, 7), authors=["Maya Torres"])
    f["url"] = f"{f['root']}/resources/guides/how-to-plan-a-community-garden"
    out.append(("guide-44", "guide", f, _expect(f)))
    f = _base(45, "Best way to winterise a small boat?", english(45, 8))
    f["url"] = f"{f['root']}/forum/t/best-way-to-winterise-a-small-boat/8812"
    out.append(("forum-45", "forum", f, {"url": f["url"], "is_article": False, "must_not_contain": []}))
    f = _base(46, "Trailhead 40 L hiking backpack", english(46, 5))
    f["url"] = f"{f['root']}/products/trailhead-40-backpack"
    out.append(("product-46", "product", f, {"url": f["url"], "is_article": False, "must_not_contain": []}))
    return out


def main() -> None:
    PAGES.mkdir(exist_ok=True)
    for old in PAGES.glob("*"):
        old.unlink()
    for n, (name, template, facts, expected) in enumerate(specs(), 1):
        html = getattr(T, template)(facts)
        stem = f"{n:02d}-{name}"
        charset = facts.get("charset", "utf-8")
        (PAGES / f"{stem}.html").write_bytes(html.encode(charset if charset != "shift_jis" else "cp932", "xmlcharrefreplace"))
        expected["charset"] = charset
        (PAGES / f"{stem}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {n} pages to {PAGES}")


if __name__ == "__main__":
    main()
