"""``newsarchive serve`` on an address it cannot have: exit 1 and one line, not uvicorn's
log line and exit code 3 after announcing that it serves."""

from __future__ import annotations

import socket

from tests.cli_helpers import cli_env, run_cli


def test_serve_on_a_taken_port_fails_with_one_line(sqlite_url: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(["serve", "--no-crawl", "--port", str(port)], cli_env(sqlite_url))
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (f"error: cannot listen on 127.0.0.1:{port}: "
                                     "Address already in use")


def test_serve_on_an_unknown_host_fails_with_one_line(sqlite_url: str) -> None:
    result = run_cli(["serve", "--no-crawl", "--host", "no-such-host.invalid", "--port", "8000"],
                     cli_env(sqlite_url))
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: cannot listen on no-such-host.invalid:8000: ")
    assert len(result.output.strip().splitlines()) == 1
