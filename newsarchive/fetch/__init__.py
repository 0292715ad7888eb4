"""Fetching: the httpx client, the SSRF guard, limits and the response facts we archive."""

from newsarchive.fetch.client import Fetcher, FetchResult
from newsarchive.fetch.guard import AddressPolicy

__all__ = ["AddressPolicy", "FetchResult", "Fetcher"]
