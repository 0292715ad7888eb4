"""Paragraph-level clean-up after extraction: syndication lines and leftover boilerplate.

The DOM pass removes whole blocks; this pass catches single lines that sit inside
the article container ("Source: | This article originally belongs to ...",
"Share this:", a lone photo credit).
"""

from __future__ import annotations

import re

from newsarchive.extract.clean_html import Block
from newsarchive.extract.profile import SiteProfile, fingerprint
from newsarchive.extract.text import words

#: a syndication line longer than this is an article paragraph that mentions a source
MAX_SYNDICATION_CHARS = 160

SYNDICATION = re.compile(
    r"^\s*(?:source\s*:\s*\|?\s*)?(?:this (?:article|story|post|piece|content) (?:originally belongs to|"
    r"(?:first |originally )?(?:appeared|ran|was (?:first |originally )?published|was published)"
    r"(?: (?:on|in|at|by))?)|(?:originally|first) (?:published|appeared|posted)(?: (?:on|by|in|at))?"
    r"|republished (?:from|with permission from)|reprinted (?:from|with permission of)"
    r"|(?:read|view) the original (?:article|story)(?: (?:on|at))?|source)\s*:?\s*(?P<src>[^.|]+?(?:\.(?:com|org|net|co\.uk|[a-z]{2}))?)"
    r"\s*(?:\.|,.*|\s+on\s+\w+ \d.*|\s+and is republished.*|\s+and has been.*)?\s*$", re.I)
#: whole lines that are boilerplate wherever they sit
BOILER_LINE = re.compile(
    r"^(?:leave a (?:reply|comment)|your email address will not be published.*|required fields are marked.*"
    r"|share this(?: article| story)?:?|share (?:on|via) \w+|click (?:here )?to (?:share|print|email).*"
    r"|(?:sign up|subscribe) (?:for|to) (?:our|the) \w+ newsletter.*|advertisement|advertising|sponsored content"
    r"|(?:photo|image|picture|foto|bild)(?: credit)?s?\s*:.{0,80}|\(?(?:photo|image) (?:by|courtesy of) .{0,80}\)?"
    r"|(?:getty images|ap photo|reuters|afp|shutterstock|istock)(?:/[\w .]+)?|read more\s*:?.{0,100}|(?:also read|related|see also|read next)\s*:.{0,150}"
    r"|we use cookies.*|this (?:site|website) uses cookies.*|you may also like|related (?:posts|articles|stories)"
    r"|(?:previous|next) (?:post|article|story)\s*:?.{0,150}|tags?\s*:.{0,200}|filed under\s*:?.{0,200}"
    r"|posted in .{0,100}|continue reading.{0,100}|(?:posted|published|updated)(?: on)?\s*:?\s*\w+ \d{1,2}, \d{4}.{0,30}"
    r"|print this (?:page|article)|follow us on .{0,60}|comments?|\d+ comments?|no comments(?: yet)?)\.?$", re.I)
#: page furniture that reaches the body as a line of its own: reading time, a table of
#: contents' label, the reader's controls ("Back to blog", "Copy link", "toggle caption", "Share",
#: "Pin this for later!"), a sales desk's prompt ("Live chat with us", "Join today", "Free 14-day
#: trial. No credit card required"), a form's consent line, a copyright line, a feed's footer
#: ("The post ... appeared first on ..."), a reviewer's credit line
FURNITURE_LINE = re.compile(
    r"^(?:\d+\s*(?:min(?:ute)?s?\.?|hours?)\s*(?:read|reading(?: time)?|listen)"
    r"|(?:read(?:ing)? time|time to read)\s*:?\s*\d+\s*min(?:ute)?s?\.?"
    r"|table of contents|contents|in this (?:article|post|guide|story)|on this page|jump to(?: section)?"
    r"|back to (?:blog|news|articles|all (?:posts|articles|news)|top)|toggle caption|copy (?:as html|link)"
    r"|open in \w+|view in browser|view pdf|print(?: this)?(?: article| page)?|listen to (?:this )?article"
    r"|expand for key takeaways|no items found|share(?: (?:the|this) (?:blog|post|article|story|page) (?:on|via))?"
    r"|pin (?:this|it)(?: for later)?|pin for later|thanks? (?:you )?for (?:visiting|stopping by)"
    r"|live chat(?: with us)?|contact us"
    r"|get in touch(?: with (?:one of )?our \w+)?|request (?:more )?information|create (?:a |your )?free (?:account|profile)"
    r"|by (?:entering|submitting|providing|sharing) (?:your|my) (?:email|e-mail|information|details|phone)\b.*"
    r"|(?:©|copyright\b).{0,150}\ball rights reserved\b.*|the post .{3,200} appeared first on .{2,80}"
    r"|is this (?:email|newsletter) not displaying correctly\b.*|watch (?:the )?video(?: here)?|join (?:us )?(?:today|now)"
    r"|(?:try|start|get|free)\b.{0,60}\.\s*no (?:credit )?card required"
    r"|(?:medically |peer[- ])?reviewed by\b.*|fact[- ]checked by\b.*|(?:written|edited) by)\s*[:,.!]?$", re.I)
#: the head of the body: a lone date or byline line among its first blocks is the page's header
#: (further down such a line is the article's: a timeline, a quoted signature)
HEAD_BLOCKS = 8
_DATE = (r"(?:(?:[^\W\d_]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?|\d{1,2}(?:st|nd|rd|th)?\.?\s+[^\W\d_]{3,10}\.?,?)"
         r"\s+(?:19|20)\d{2}|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d{2})")
HEAD_LINE = re.compile(
    rf"^(?i:(?:(?:last )?(?:published|updated|posted|modified)(?: on)?|date)\s*:?\s*)?{_DATE}"
    r"(?:\s*(?:at )?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?: [a-z]{2,4})?)?\s*[|•·]?$"
    r"|^(?i:by|written by|words by|author)\s*:?\s+[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}(?:,[^,]{0,40})?$")
#: an affiliate disclosure ("Purchases made through our links may earn us a commission"): it
#: sits in the first or last few blocks; further in, such words are the article's own topic
DISCLOSURE = re.compile(
    r"(?:earn|receive|get|make)s? (?:us |me )?(?:an? )?(?:small |affiliate )?(?:commissions?|compensation|fee)"
    r"|may be compensated|(?:contains?|uses?|includes?) affiliate links|affiliate links are used|affiliate disclosure"
    r"|(?:purchases?|buy) (?:made )?(?:through|via|from) (?:our |the |these |affiliate )?links", re.I)
#: ... among this many blocks at either end of the body
EDGE_BLOCKS = 3
#: ... and is short: a longer paragraph that mentions commissions is the article's
MAX_DISCLOSURE_WORDS = 80
#: a button: a short paragraph that is all link and asks the reader to act ("Jump to Review",
#: "See Details & Buying Options", "Book a Demo", "Read full review")
BUTTON_TEXT = re.compile(
    r"^(?:jump to|see|read|learn|book|try|get|download|watch|check|view|request|schedule|explore"
    r"|contact|start|sign up|subscribe|buy|order|discover|click|visit|tell us|call)\b", re.I)
#: ... of at most this many words
MAX_BUTTON_WORDS = 5
#: ... and at least this share of its text inside links
BUTTON_LINK_SHARE = 0.9
_LINK_TEXT = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
_TAG = re.compile(r"<[^>]+>")
#: cleaner publisher names from the syndication line: "Nbcnews.com" stays as written
_TRAILING = re.compile(r"[\s.,;:|]+$")


def syndication_source(text: str) -> str | None:
    if len(text) > MAX_SYNDICATION_CHARS:
        return None
    m = SYNDICATION.match(text)
    if not m:
        return None
    src = _TRAILING.sub("", m.group("src")).strip()
    src = re.sub(r"^(?:the website |the site )", "", src, flags=re.I)
    return src or None


def filter_blocks(blocks: list[Block], profile: SiteProfile | None,
                  metadata: dict, flat: bool = False) -> tuple[list[Block], str | None]:
    """(kept blocks, original source named by a syndication line).

    ``flat``: the blocks come from plain text, where a closing section's opening line ("You
    May Also Like") is the only sign of where it starts; it is cut there before that line
    goes as a boilerplate line. On a page the section is its own element, which pre-cleaning
    took, and a boilerplate line left inside the article ("Read more in our guides below:")
    is more often a pointer than an end.
    """
    kept: list[Block] = []
    original: str | None = None
    if flat:
        blocks = _cut_closing_sections(blocks)
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if block.kind != "figure":
            src = syndication_source(text) if i >= len(blocks) - 6 or i < 2 else None
            if src and original is None:
                original = src
                metadata["syndication_line"] = text
                continue
            if len(text) <= 250 and (BOILER_LINE.match(text) or FURNITURE_LINE.match(text)
                                     or (i < HEAD_BLOCKS and HEAD_LINE.match(text))):
                continue
            if (i < EDGE_BLOCKS or i >= len(blocks) - EDGE_BLOCKS) \
                    and len(text.split()) <= MAX_DISCLOSURE_WORDS and DISCLOSURE.search(text):
                continue
            if block.kind == "p" and _is_button(block, text):
                continue
            if profile and fingerprint(text) in profile.fingerprints:
                continue
        kept.append(block)
    return _trim_trailing_teasers(_cut_closing_sections(_drop_pull_quotes(kept))), original


#: a pull quote is a sentence at least this long (shorter quoted words recur as the article's)
MIN_PULL_QUOTE_WORDS = 8


def _drop_pull_quotes(blocks: list[Block]) -> list[Block]:
    """A quote whose words stand inside one of the article's own paragraphs or list items is a
    pull quote: the layout repeats the sentence, the text keeps it once."""
    if not any(b.kind == "quote" for b in blocks):  # most pages: no paragraph's words to read
        return list(blocks)
    prose = [" ".join(words(b.text)) for b in blocks if b.kind in ("p", "li", "ol")]
    out = []
    for block in blocks:
        if block.kind == "quote":  # only a quote's own words are looked for
            line = " ".join(words(block.text))
            if len(line.split()) >= MIN_PULL_QUOTE_WORDS and any(line in para for para in prose):
                continue
        out.append(block)
    return out


def _is_button(block: Block, text: str) -> bool:
    """A call to action rendered as a linked paragraph: the reader's control, not the article."""
    if len(text.split()) > MAX_BUTTON_WORDS or "<a " not in block.html or not BUTTON_TEXT.match(text):
        return False
    linked = sum(len(_TAG.sub("", inner)) for inner in _LINK_TEXT.findall(block.html))
    return linked >= BUTTON_LINK_SHARE * len(_TAG.sub("", block.html))


def _trim_trailing_teasers(blocks: list[Block]) -> list[Block]:
    """Lines ending in '…' at the very end are teasers of other stories."""
    while blocks and blocks[-1].kind != "figure" and blocks[-1].text.endswith(("…", "...")) \
            and len(blocks[-1].text) < 200:
        blocks = blocks[:-1]
    return blocks


#: a short line that opens the page's closing sections: the author's bio, links to other
#: stories, a newsletter prompt. Matched on the whole line. References, acknowledgements,
#: 'Next steps' and plain 'Related' are not among them: on WCXB they belong to the article as
#: often as not
CLOSING_HEADING = re.compile(
    r"^(?:article sources|about the (?:author|writer|reviewer)s?|related (?:articles|posts|stories|reading)"
    r"(?: (?:and links|that (?:may|might) interest you))?|related (?:content|topics)(?: (?:&|and) resources)?|up next"
    r"|(?:like|enjoy)(?:ing)? what you(?:'|’)?re reading\?(?: [^.?!]{0,80})?|find more [\w ]{1,30} in|topics covered"
    r"|recent (?:articles|posts|stories)|(?:what|articles?|stories) to read next|read next"
    r"|(?:you|we think you) (?:may|might|will|would) (?:also )?(?:like|enjoy|be interested in)(?: \w+){0,3}"
    r"|if you (?:liked|enjoyed) this(?: \w+){0,6}|more (?:(?:helpful |related )?(?:articles|stories|posts) )?(?:from|by) [\w ]{1,40}"
    r"|latest (?:news|articles|posts|stories)|popular (?:posts|articles|stories)"
    r"|mentioned in this (?:post|article|story)|discover more from [\w ]{1,40}|(?:learn|read|find) more in our [\w ]{1,40}"
    r"|(?:this|these) (?:might|may) (?:also )?(?:be )?interest(?:ing)? to you"
    r"|(?:\w+ )?(?:articles|guides|posts|stories|reads) to check out|more \w+ recommendations"
    r"|featured (?:resources|articles|posts|stories)|meet (?:the|our) (?:testers|reviewers|experts)"
    r"|(?:media|press) contacts?)\s*[:.…!]*$", re.I)
#: a legal notice that opens the page's closing fine print: "The information contained herein is
#: for informational purposes only ..."; what follows it is the site's, not the article's
CLOSING_NOTICE = re.compile(
    r"^(?:(?:legal )?disclaimer\s*:\s*)?(?:the|this|all|any) (?:information|content|material|article|post|opinions?)s?\b"
    r".{0,60}?\bfor (?:general )?(?:informational|educational|information)(?: and (?:informational|educational))? purposes",
    re.I)
#: ... and is a paragraph, not a whole page of terms
MAX_NOTICE_WORDS = 200
#: ... among the last few blocks: higher up, a notice on a health or money guide is followed by
#: more of the guide (its FAQ, its sources)
NOTICE_LAST_BLOCKS = 5
#: the closing sections start in the last part of the body: a 'Related' heading high up is content
CLOSING_AFTER_SHARE = 0.5
#: ... and their opening line is short
MAX_CLOSING_WORDS = 10


def _cut_closing_sections(blocks: list[Block]) -> list[Block]:
    """Everything from a closing-section line ('Related articles:', 'About the author') or a
    legal notice in the second half of the body onwards leaves the text: what follows it is not
    the article's."""
    words = [len(b.text.split()) for b in blocks]
    total = sum(words)
    seen = 0
    for i, block in enumerate(blocks):
        if seen >= CLOSING_AFTER_SHARE * total and block.kind != "figure" and (
                (words[i] <= MAX_CLOSING_WORDS and CLOSING_HEADING.match(block.text.strip()))
                or (i >= len(blocks) - NOTICE_LAST_BLOCKS and words[i] <= MAX_NOTICE_WORDS
                    and CLOSING_NOTICE.match(block.text.strip()))):
            return blocks[:i]
        seen += words[i]
    return blocks


#: the author's bio opens with their name and one of these
_BIO_VERB = re.compile(r"^(?:,? (?:is|was|has|holds|writes|covers|joined|serves|works|leads|lives)\b|, (?:an?|the)\b)", re.I)
#: the bio is among the last blocks of the body
BIO_LAST_BLOCKS = 4


def author_bio_start(blocks: list[Block], names: list[str]) -> int | None:
    """Where the author's bio at the foot of the body starts ('Jane Roe is a freelance writer
    ...', with the name on its own line before it), or None."""
    start = max(0, len(blocks) - BIO_LAST_BLOCKS)
    for i in range(start, len(blocks)):
        text = blocks[i].text.strip()
        for name in names:
            if len(name.split()) >= 2 and text.lower().startswith(name.lower()) \
                    and _BIO_VERB.match(text[len(name):]):
                before = blocks[i - 1].text.strip().lower() if i else ""
                return i - 1 if i and before in (name.lower(), f"about {name.lower()}") else i
    return None
