"""Archived HTML is hostile until proven otherwise: every body shown on our origin passes here.

The allowlist is the clean-body vocabulary of the Article record (paragraphs, h2-h4,
lists, blockquote, figure/img/figcaption, links) and nothing else: no script, style,
iframe, form, SVG, event handler or inline style survives. Links and images must be
absolute http(s) URLs (relative ones are resolved against the article's URL first, so
an archived page can never point at our own origin by accident); links get
``rel="noopener noreferrer nofollow"``.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import nh3

#: the clean-body vocabulary promised by the Article record's ``html`` field
ALLOWED_TAGS = frozenset({
    "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "img", "figcaption", "a",
})
#: attributes worth keeping; everything else (on*, style, class, id...) is dropped
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
}
#: removed together with their content: their text is code or styling, never article prose
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object",
                               "svg", "math", "textarea", "select"})
LINK_REL = "noopener noreferrer nofollow"
SAFE_SCHEMES = frozenset({"http", "https"})
#: attributes whose value is a URL and must pass the scheme check
URL_ATTRIBUTES = frozenset({"href", "src"})


def safe_url(value: str, base_url: str | None = None) -> str | None:
    """An absolute http(s) URL, or None: ``javascript:``, ``data:`` and friends never pass."""
    value = (value or "").strip()
    if not value:
        return None
    if base_url:
        try:
            value = urljoin(base_url, value)
        except ValueError:
            return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return value


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """The archived body reduced to the clean allowlist, safe to render on our origin."""

    def _filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            return safe_url(value, base_url)
        if attribute in ("width", "height"):
            return value if value.isdigit() and len(value) <= 5 else None
        return value

    return nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes=set(SAFE_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def sanitize_snippet(snippet: str) -> str:
    """A search snippet: escaped text where only ``<mark>`` may remain (defence in depth)."""
    return nh3.clean(snippet or "", tags={"mark"}, attributes={}, link_rel=None)
