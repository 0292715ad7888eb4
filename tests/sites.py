"""A local HTTP server the tests write pages into, and that records every request."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[["Request"], "Reply"]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float
    host: str


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    gzip: bool = False
    delay: float = 0.0


class LocalSite:
    """Routes: path -> Reply (or a callable taking the Request). Unknown paths answer 404."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                req = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()},
                              time.monotonic(), self.headers.get("Host", ""))
                with site._lock:
                    site.requests.append(req)
                route = site.routes.get(self.path)
                if route is None:
                    route = site.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    reply = Reply(404, b"<html><body><h1>Not found</h1></body></html>")
                elif callable(route):
                    reply = route(req)
                else:
                    reply = route
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                if reply.gzip:
                    body = gzip.compress(body)
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                if reply.gzip:
                    self.send_header("Content-Encoding", "gzip")
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if reply.status != 304:
                    self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str | Reply | Handler, **kwargs: Any) -> str:
        if isinstance(body, Reply) or callable(body):
            self.routes[path] = body
        else:
            self.routes[path] = Reply(body=body, **kwargs)
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def start(self) -> LocalSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
