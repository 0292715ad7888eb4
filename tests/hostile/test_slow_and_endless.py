"""Servers that never finish: the total deadline and the byte cap stop them, with a reason."""

from __future__ import annotations

import socket
import time

import pytest

from newsarchive.errors import FetchTimeout, NetworkError, TooLargeError
from tests.fetch.helpers import fetch_settings, fetch_with, run
from tests.hostile.rawserver import head, raw_server


def trickle(conn: socket.socket) -> None:
    conn.sendall(head(Content_Type="text/html", Content_Length="100000"))
    end = time.monotonic() + 20
    while time.monotonic() < end:
        conn.sendall(b"x")
        time.sleep(0.5)


def never_answer(conn: socket.socket) -> None:
    time.sleep(20)


def endless_chunked(conn: socket.socket) -> None:
    conn.sendall(head(Content_Type="text/html", Transfer_Encoding="chunked"))
    chunk = b"<p>" + b"a" * 65533
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    end = time.monotonic() + 20
    while time.monotonic() < end:
        conn.sendall(frame)


def lying_short_length(conn: socket.socket) -> None:
    conn.sendall(head(Content_Type="text/html", Content_Length="5000") + b"<html>short</html>")
    conn.shutdown(socket.SHUT_WR)


def lying_long_body(conn: socket.socket) -> None:
    # declares 100 bytes, sends 50 MB: only the declared bytes are read
    conn.sendall(head(Content_Type="text/html", Content_Length="100") + b"a" * 100)
    conn.sendall(b"<p>" * (1024 * 1024))


def hundred_mb_no_length(conn: socket.socket) -> None:
    conn.sendall(head(Content_Type="text/html", Connection="close"))
    block = b"<p>lorem ipsum</p>" * 4096
    for _ in range((100 * 1024 * 1024) // len(block)):
        conn.sendall(block)


def test_trickling_server_hits_the_total_deadline() -> None:
    with raw_server(trickle) as server:
        began = time.monotonic()
        with pytest.raises(FetchTimeout, match="within 2 s") as info:
            run(fetch_with(fetch_settings(total_timeout=2.0), server.url("/slow")))
        assert info.value.reason == "timeout"
        assert time.monotonic() - began < 10  # stopped by the deadline, not the server


def test_server_that_never_answers_hits_the_deadline() -> None:
    with raw_server(never_answer) as server:
        with pytest.raises(FetchTimeout):
            run(fetch_with(fetch_settings(total_timeout=1.5, read_timeout=10.0),
                           server.url("/silent")))


def test_endless_chunked_body_is_cut_at_the_cap() -> None:
    with raw_server(endless_chunked) as server:
        with pytest.raises(TooLargeError, match="larger than the limit"):
            run(fetch_with(fetch_settings(max_page_bytes=1024 * 1024), server.url("/endless")))


def test_endless_body_under_a_large_cap_hits_the_deadline() -> None:
    def slow_endless(conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="text/html", Transfer_Encoding="chunked"))
        end = time.monotonic() + 20
        while time.monotonic() < end:
            conn.sendall(b"10\r\n" + b"b" * 16 + b"\r\n")
            time.sleep(0.05)

    with raw_server(slow_endless) as server:
        with pytest.raises(FetchTimeout):
            run(fetch_with(fetch_settings(total_timeout=1.5), server.url("/endless")))


def test_content_length_longer_than_the_body_is_an_error() -> None:
    with raw_server(lying_short_length) as server:
        with pytest.raises(NetworkError):
            run(fetch_with(fetch_settings(), server.url("/short")))


def test_content_length_shorter_than_the_body_reads_only_what_is_declared() -> None:
    with raw_server(lying_long_body) as server:
        result = run(fetch_with(fetch_settings(), server.url("/long")))
        assert result.body == b"a" * 100


def test_hundred_megabyte_page_is_refused_at_the_cap() -> None:
    with raw_server(hundred_mb_no_length) as server:
        with pytest.raises(TooLargeError):
            run(fetch_with(fetch_settings(max_page_bytes=2 * 1024 * 1024), server.url("/big")))


def test_declared_size_over_the_cap_is_refused_before_reading() -> None:
    def big_declared(conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="text/html", Content_Length=str(500 * 1024 * 1024)))
        time.sleep(5)

    with raw_server(big_declared) as server:
        with pytest.raises(TooLargeError, match="declares"):
            run(fetch_with(fetch_settings(), server.url("/declared")))
