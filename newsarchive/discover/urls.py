"""URL canonicalisation: the same article reached three ways is one URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

#: query parameters that only track the visitor; removing them never changes the page
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z0-9_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|"
    r"_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|s_cid|cmpid|"
    r"ocid|ncid|sr_share|share|smid|ref_src|ref_url|at_medium|at_campaign|ito|xtor)$",
    re.I,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidURL(ValueError):
    """Not an absolute http(s) URL."""


def canonicalize(url: str) -> str:
    """Normal form: lower-case scheme and host, no default port, no fragment, no tracking
    parameters, percent-encoding made uniform. Idempotent. Raises InvalidURL."""
    if not isinstance(url, str):
        raise InvalidURL("not a string")
    url = url.strip().replace("\x00", "")
    try:
        safe = safe_url_string(url)
        parts = urlsplit(safe)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"not a valid URL: {url[:200]!r}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidURL(f"not an absolute http(s) URL: {url[:200]!r}")
    host = parts.hostname.lower().rstrip(".")
    if not host:
        raise InvalidURL(f"no host in {url[:200]!r}")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    path = quote(unquote(path), safe="/%:@!$&'()*+,;=-._~")
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def site_of(host: str) -> str:
    """The host without a leading 'www.' (links between www and the bare domain are one site)."""
    return host[4:] if host.startswith("www.") else host


def same_site(a: str, b: str) -> bool:
    ha, hb = site_of(host_of(a)), site_of(host_of(b))
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))
