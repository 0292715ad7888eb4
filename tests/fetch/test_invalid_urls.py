"""URLs a user types that no server can have: each is a named FetchError with the reason,
never a ValueError, OverflowError or UnicodeError out of urllib, socket or idna (those were
tracebacks from `newsarchive extract URL` and `archive URL`)."""

from __future__ import annotations

import pytest

from newsarchive.errors import BlockedURL, FetchError, NetworkError
from tests.fetch.helpers import fetch_settings, fetch_with, run

LONG_LABEL = "a" * 300


@pytest.mark.parametrize(("url", "error", "words"), [
    ("http://127.0.0.1:99999/x", BlockedURL, "not a valid URL"),
    ("http://[zz]/x", BlockedURL, "not a valid URL"),
    ("http://xn--/x", BlockedURL, "not a valid URL"),
    (f"http://{LONG_LABEL}.com/", NetworkError, "not a valid host name"),
])
def test_an_impossible_url_is_a_named_fetch_error(url: str, error: type[FetchError],
                                                  words: str) -> None:
    with pytest.raises(FetchError) as caught:
        run(fetch_with(fetch_settings(), url))
    assert isinstance(caught.value, error), repr(caught.value)
    assert words in str(caught.value)
