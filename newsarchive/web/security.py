"""Security headers on every response: a strict Content-Security-Policy and friends.

The pages show archived content, which is hostile until proven otherwise; the
sanitiser (web/sanitize.py) removes what it can, and the policy here makes sure that
whatever slips through cannot run: no inline script, no plugin, no frame, no form
posting elsewhere, and our pages may not be framed. Images may come from any http(s)
origin because archived articles show their publishers' pictures.

A route that sets its own Content-Security-Policy (the raw capture's ``sandbox``)
keeps it: a route only ever sets a stricter one. FastAPI's own ``/docs`` and
``/redoc`` pages load their assets from a CDN and start them with an inline script;
they get the CDN and the hashes of exactly those inline scripts, still no
``unsafe-inline``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP_DIRECTIVES = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' https: http:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "frame-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "manifest-src": "'self'",
}
#: where FastAPI's interactive API docs fetch Swagger UI and ReDoc from
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def policy(directives: dict[str, str] | None = None) -> str:
    return "; ".join(f"{k} {v}" for k, v in (directives or CSP_DIRECTIVES).items())


CONTENT_SECURITY_POLICY = policy()
BASE_HEADERS = {
    "x-content-type-options": "nosniff",
    # Our URLs (searches) are nobody else's business; same-origin (not no-referrer) so that
    # our own form POSTs carry a real Origin header (no-referrer makes Chromium send "null").
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def docs_policy(body: bytes) -> str:
    """The policy for FastAPI's docs pages: its CDN, and hashes of its own inline scripts."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(body)
    )
    directives = dict(CSP_DIRECTIVES)
    directives["script-src"] = f"'self' {DOCS_CDN} {hashes}".strip()
    directives["style-src"] = f"'self' {DOCS_CDN}"
    directives["img-src"] = "'self' data: https:"
    directives["worker-src"] = "blob:"
    return policy(directives)


def _with_headers(headers: list[tuple[bytes, bytes]], csp: str) -> list[tuple[bytes, bytes]]:
    present = {name.lower() for name, _ in headers}
    out = list(headers)
    if b"content-security-policy" not in present:
        out.append((b"content-security-policy", csp.encode()))
    for name, value in BASE_HEADERS.items():
        if name.encode() not in present:
            out.append((name.encode(), value.encode()))
    return out


class SecurityHeaders:
    """ASGI middleware adding the headers to every HTTP response (streams stay streams)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path") in DOCS_PATHS:
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _with_headers(list(message.get("headers", [])),
                                                   CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the (small, fixed) docs page to hash its inline scripts."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                assert start is not None
                body = b"".join(chunks)
                start["headers"] = _with_headers(list(start.get("headers", [])),
                                                 docs_policy(body))
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, buffer)


def install(app: FastAPI) -> None:
    """Register the headers middleware (called once by ``create_app``)."""
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
