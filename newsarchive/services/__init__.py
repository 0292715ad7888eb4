"""Use cases: archive a URL, crawl a source, manage sources. Called alike by the CLI, the API,
the HTML forms and the scheduler."""
