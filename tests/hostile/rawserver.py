"""A raw TCP server for hostile behaviour no well-mannered HTTP server will produce:
trickling, never answering, endless or lying bodies, bombs with any headers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Behaviour = Callable[[socket.socket], None]


def read_request(conn: socket.socket) -> bytes:
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def head(status: str = "200 OK", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class RawServer:
    """Answers every connection with ``behaviour``; robots.txt gets a 404 first."""

    def __init__(self, behaviour: Behaviour, host: str = "127.0.0.1") -> None:
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.host = host
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self.stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            while not self.stopped.is_set():
                request = read_request(conn)
                if not request:
                    return
                self.requests.append(request)
                if request.startswith(b"GET /robots.txt "):
                    conn.sendall(head("404 Not Found", Content_Length="0"))
                    continue
                self.behaviour(conn)
                return
        except OSError:
            pass
        finally:
            conn.close()

    def start(self) -> RawServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self._thread.join(timeout=2)
        self.sock.close()


@contextmanager
def raw_server(behaviour: Behaviour, host: str = "127.0.0.1") -> Iterator[RawServer]:
    server = RawServer(behaviour, host).start()
    try:
        yield server
    finally:
        server.stop()
