"""APScheduler wiring: when things run, not what they do."""
