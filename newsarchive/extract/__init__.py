"""Extraction: html + url -> Article fields. Pure functions: no network, no database, no web.

The public API is ``extract()``, ``ExtractedArticle``, ``ExtractOptions``,
``EXTRACTOR_VERSION``, and for site-aware boilerplate ``SiteProfile`` and
``build_site_profile()``; everything else in this package is an implementation detail.
"""

from newsarchive.extract.core import EXTRACTOR_VERSION, ExtractOptions, extract
from newsarchive.extract.profile import SiteProfile, build_site_profile
from newsarchive.extract.record import ExtractedArticle

__all__ = ["EXTRACTOR_VERSION", "ExtractOptions", "ExtractedArticle", "SiteProfile",
           "build_site_profile", "extract"]
