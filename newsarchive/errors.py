"""The exception tree. Callers catch at the level they need; shells map them to exit codes
and HTTP statuses.

    NewsarchiveError
    ├── ConfigError                 settings that cannot work
    ├── FetchError                  anything that stopped a URL from being fetched
    │   ├── BlockedURL              refused before any request: scheme, private address, robots.txt
    │   │   ├── PrivateAddressError the host resolves to a refused address
    │   │   └── RobotsDisallowed    robots.txt forbids the path
    │   ├── HTTPStatusError         the server answered with an error status (``status``)
    │   │   └── HostBackingOff      the host's Retry-After wait is still running (``retry_after``)
    │   ├── NotHTMLError            the content type is not HTML-like
    │   ├── TooLargeError           the body exceeds the byte cap
    │   ├── DecodingError           a Content-Encoding we cannot or will not decode
    │   ├── FetchTimeout            connect/read/total deadline passed
    │   ├── TooManyRedirects        a loop or more hops than allowed
    │   └── NetworkError            DNS failure, refused connection, TLS error...
    ├── ExtractionError             the page is not an article (``reason``)
    ├── DiscoveryError              a feed or sitemap that cannot be read
    │   └── UnsafeXML               entity declarations or a bad DOCTYPE: refused unparsed
    ├── StorageError                the database refused or is unavailable
    ├── NotFound                    an id that does not exist
    └── InvalidQuery                a list/search/export parameter that is wrong (``field``)
"""

from __future__ import annotations


class NewsarchiveError(Exception):
    """Base of every error the project raises on purpose."""

    #: a short machine-readable reason, recorded on frontier rows and crawl runs
    reason: str = "error"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return self.message


class ConfigError(NewsarchiveError):
    reason = "config"


class FetchError(NewsarchiveError):
    reason = "fetch"
    #: whether trying again later may succeed (5xx, timeouts, network errors)
    retryable: bool = False


class BlockedURL(FetchError):
    reason = "blocked"


class PrivateAddressError(BlockedURL):
    reason = "private_address"


class RobotsDisallowed(BlockedURL):
    reason = "robots"


class HTTPStatusError(FetchError):
    reason = "http_status"

    def __init__(
        self, message: str, *, status: int, url: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after
        self.retryable = status in (408, 425, 429) or status >= 500


class HostBackingOff(HTTPStatusError):
    """The host answered 429/503 earlier and its wait (``retry_after`` s) is still running;
    raised without sending a request."""

    reason = "backoff"


class NotHTMLError(FetchError):
    reason = "not_html"


class TooLargeError(FetchError):
    reason = "too_large"


class DecodingError(FetchError):
    """The body is not validly encoded as its Content-Encoding says, or stacks too many."""

    reason = "bad_encoding"


class FetchTimeout(FetchError):
    reason = "timeout"
    retryable = True


class TooManyRedirects(FetchError):
    reason = "redirects"


class NetworkError(FetchError):
    reason = "network"
    retryable = True


class ExtractionError(NewsarchiveError):
    reason = "not_article"


class DiscoveryError(NewsarchiveError):
    reason = "bad_listing"


class UnsafeXML(DiscoveryError):
    reason = "unsafe_xml"


class StorageError(NewsarchiveError):
    reason = "storage"


class NotFound(NewsarchiveError):
    reason = "not_found"


class InvalidQuery(NewsarchiveError):
    """A list/search/export parameter that cannot be used as given (``field`` names it)."""

    reason = "invalid_query"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message
