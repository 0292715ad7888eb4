"""What a user sees on the terminal: the result, not a log line per HTTP request."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite


def _extract(url: str, tmp_path: Path, log_level: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NEWSARCHIVE_DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
               NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS="true", NEWSARCHIVE_HOST_DELAY="0",
               NEWSARCHIVE_LOG_LEVEL=log_level)
    return subprocess.run([sys.executable, "-m", "newsarchive", "extract", url,
                           "--format", "text"], env=env, capture_output=True, text=True,
                          timeout=120)


def test_extract_url_prints_no_request_log_unless_debugging(site: LocalSite,
                                                            tmp_path: Path) -> None:
    url = site.add("/news/2024/05/01/quiet-story",
                   publisher_page("Quiet story", lorem_paragraphs(6)))
    quiet = _extract(url, tmp_path, "INFO")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.strip() and "HTTP Request" not in quiet.stderr, quiet.stderr
    debug = _extract(url, tmp_path, "DEBUG")
    assert debug.returncode == 0 and "HTTP Request: GET" in debug.stderr


def test_export_into_a_closed_pipe_exits_0(tmp_path: Path) -> None:
    """`newsarchive export | head` in a `set -o pipefail` script: the reader closing the
    pipe early is not a failure of the export."""
    env = dict(os.environ, NEWSARCHIVE_DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive", "export", "--format", "csv"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the CSV header is written: that write meets a closed pipe
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr


def test_export_warc_refuses_to_print_binary_on_a_terminal(tmp_path: Path) -> None:
    env = dict(os.environ, NEWSARCHIVE_DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "newsarchive", "export", "--format", "warc"],
                              env=env, stdout=follower, stderr=subprocess.PIPE, text=True,
                              timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2, done.stderr
    assert "WARC is gzip-compressed binary: give -o FILE or pipe it" in done.stderr
    piped = subprocess.run([sys.executable, "-m", "newsarchive", "export", "--format", "warc"],
                           env=env, capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout[:2] == b"\x1f\x8b"  # gzip, as asked
