"""The user's per-site rules file (``NEWSARCHIVE_SITE_RULES``), read once and again when it
changes, so the crawl, ``reextract``, ``archive`` and ``extract`` hand the same rules to the
extractor.

A mistake in the file stops the command that first reads it, with a line naming the file,
the site and the key (``SiteRulesError``). A file edited into a mistake while a worker runs
is not read again: the worker logs the error and keeps the rules it had, rather than fail
every page until someone notices.

A long-lived process (its workers, the web server's ``archive``) takes its rules object
from ``rules_file``: one per path for the whole process, so a request costs a ``stat``, not a
parse. A one-shot command may build its own ``SiteRulesFile``.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

from newsarchive.extract.siterules import RuleBook, SiteRules, SiteRulesError, parse_rules

log = logging.getLogger(__name__)


def read_rules(path: Path) -> RuleBook:
    """Parse and check the file now; raises SiteRulesError with a readable message."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SiteRulesError(f"{path}: no such site rules file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteRulesError(f"{path}: cannot read the site rules file: {exc}") from exc
    return parse_rules(text, str(path))


class SiteRulesFile:
    """One rules file (or none): ``for_url`` gives the rules of a page's site, reading the
    file again when its modification time or size changed."""

    def __init__(self, path: Path | str | None) -> None:
        self.path = Path(path) if path else None
        self._stamp: tuple[int, int] | None = None
        self._book = RuleBook()
        #: how many times the file was parsed (the first read included)
        self.reads = 0
        if self.path is not None:
            self._stamp = self._stat()
            self._book = self._read()

    def _read(self) -> RuleBook:
        assert self.path is not None
        self.reads += 1
        return read_rules(self.path)

    def _stat(self) -> tuple[int, int] | None:
        assert self.path is not None
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def _refresh(self) -> None:
        stamp = self._stat()
        if stamp == self._stamp or self.path is None:
            return
        self._stamp = stamp
        try:
            self._book = self._read()
        except SiteRulesError as exc:
            log.error("site rules not reloaded, the previous ones stay in use: %s", exc)
        else:
            log.info("site rules reloaded from %s (%d sites)", self.path, len(self._book.sites))

    def for_url(self, url: str | None) -> SiteRules | None:
        if self.path is None:
            return None
        self._refresh()
        return self._book.for_url(url)


#: distinct rules paths one process keeps objects for: a deployment has one; the bound only
#: keeps a process that is handed many (a test run) from holding every one it saw
KEPT_FILES = 8


@functools.lru_cache(maxsize=KEPT_FILES)
def _kept(path: Path | None) -> SiteRulesFile:
    return SiteRulesFile(path)


def rules_file(path: Path | str | None) -> SiteRulesFile:
    """The process's one rules object for ``path`` (read again when the file changes).

    Raises SiteRulesError when the file cannot be read at first (nothing is kept then, so
    the next call tries again); a later broken edit keeps the previous rules."""
    return _kept(Path(os.path.abspath(path)) if path else None)
