"""Discovery: feeds, sitemaps and page links -> candidate article URLs. No database, no web."""
