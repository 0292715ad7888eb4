"""newsarchive: scrape news sites on a schedule, extract the article, keep a searchable archive."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/newsarchive/newsarchive"

__all__ = ["PROJECT_URL", "__version__"]
