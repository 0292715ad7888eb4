"""URL canonicalisation: the same article reached three ways is one URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

#: query parameters that only track the visitor; removing them never changes the page
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z0-9_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|"
    r"_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|s_cid|cmpid|"
    r"ocid|ncid|sr_share|share|smid|ref_src|ref_url|at_medium|at_campaign|ito|xtor)$",
    re.I,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
#: what a host may be once IDNA-encoded: DNS labels, an IPv4 literal, or an IPv6 literal
#: DNS limits (RFC 1035): no such host can resolve, so such a URL is refused at the door
#: instead of stored as a source or queued and failed at every fetch
MAX_LABEL = 63
MAX_HOST = 253
_HOST = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*|[0-9a-f:.]+")


#: characters left as they are in a path (RFC 3986 pchar and "/"; "%" starts an escape)
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: whitespace browsers strip from anywhere in a URL (WHATWG URL standard)
_STRIPPED = re.compile(r"[\t\n\r\x00]")


class InvalidURL(ValueError):
    """Not an absolute http(s) URL."""


def _escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in UNRESERVED else "%" + match.group(1).upper()


def _normalize_path(path: str) -> str:
    """Dot segments removed (RFC 3986 5.2.4), escapes of unreserved characters decoded and
    the others upper-cased, everything else percent-encoded; ``%2F`` stays ``%2F``."""
    segments: list[str] = []
    for seg in path.split("/")[1:] if path.startswith("/") else path.split("/"):
        if seg == ".":
            continue
        if seg == "..":
            if segments:
                segments.pop()
            continue
        segments.append(seg)
    trailing = path.endswith(("/", "/.", "/..")) and bool(segments)
    joined = "/" + "/".join(segments) + ("/" if trailing and segments[-1] != "" else "")
    joined = _LONE_PERCENT.sub("%25", joined)
    joined = _ESCAPE.sub(_escape, joined)
    return quote(joined, safe=PATH_SAFE)


def canonicalize(url: str) -> str:
    """Normal form: lower-case scheme and host (IDNA), no default port, no fragment, no
    userinfo, no tracking parameters, query sorted, dot segments resolved,
    percent-encoding made uniform. Idempotent. Raises InvalidURL."""
    if not isinstance(url, str):
        raise InvalidURL("not a string")
    url = _STRIPPED.sub("", url.strip())
    try:
        safe = safe_url_string(url)
        parts = urlsplit(safe)
        port = parts.port
        hostname = parts.hostname
    except (ValueError, UnicodeError) as exc:
        raise InvalidURL(f"not a valid URL: {url[:200]!r}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not hostname:
        raise InvalidURL(f"not an absolute http(s) URL: {url[:200]!r}")
    host = hostname.lower().rstrip(".")
    if (not host or not _HOST.fullmatch(host) or len(host) > MAX_HOST
            or any(len(label) > MAX_LABEL for label in host.split("."))):
        raise InvalidURL(f"no valid host in {url[:200]!r}")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    )
    return urlunsplit((scheme, netloc, _normalize_path(parts.path or "/"),
                       urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def site_of(host: str) -> str:
    """The host without a leading 'www.' (links between www and the bare domain are one site)."""
    return host[4:] if host.startswith("www.") else host


def same_site(a: str, b: str) -> bool:
    ha, hb = site_of(host_of(a)), site_of(host_of(b))
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))
