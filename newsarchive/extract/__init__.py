"""Extraction: html + url -> Article fields. Pure functions: no network, no database, no web.

The public API is ``extract()``, ``ExtractedArticle``, ``ExtractOptions`` and
``EXTRACTOR_VERSION``; everything else in this package is an implementation detail.
"""

from newsarchive.extract.core import EXTRACTOR_VERSION, ExtractOptions, extract
from newsarchive.extract.record import ExtractedArticle

__all__ = ["EXTRACTOR_VERSION", "ExtractOptions", "ExtractedArticle", "extract"]
