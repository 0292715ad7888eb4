"""CSRF protection and browser sign-in for the HTML forms.

Double submit with an HMAC: the browser holds a random session id in an HttpOnly,
SameSite=Strict cookie; every form carries ``HMAC(secret, session id)`` in a hidden
field; every POST must bring both and they must agree. A page from another site can
neither read the cookie nor compute the token, so it cannot forge a form.

Write access follows the API's rule (web/deps.py ``write_allowed``). Browsers cannot
send ``Authorization: Bearer``, so when an API key is set the ``/login`` form takes the
key once and sets an HttpOnly, SameSite=Strict cookie holding ``HMAC(key, purpose)``
(never the key itself); changing the key signs everyone out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import Response

from newsarchive.config import Settings
from newsarchive.web.deps import write_allowed

SESSION_COOKIE = "na_session"
AUTH_COOKIE = "na_auth"
TOKEN_FIELD = "csrf_token"
#: the session cookie lives a day; a form older than that asks for a reload
SESSION_MAX_AGE = 86_400
#: a browser sign-in lasts a week, like most admin UIs
AUTH_MAX_AGE = 7 * 86_400
_LOGIN_PURPOSE = b"newsarchive-browser-login"
_CSRF_PURPOSE = b"newsarchive-csrf"


class CsrfError(Exception):
    """A POST without a valid token: from another site, or a stale page."""


def install_secret(app: FastAPI, settings: Settings) -> None:
    """The HMAC secret: derived from the API key when set (stable across processes and
    restarts), else random per process (a restart asks open forms to reload)."""
    if settings.api_key:
        app.state.csrf_secret = hmac.new(settings.api_key.encode(), _CSRF_PURPOSE,
                                         hashlib.sha256).digest()
    else:
        app.state.csrf_secret = secrets.token_bytes(32)


def _token(request: Request, session_id: str) -> str:
    secret: bytes = request.app.state.csrf_secret
    return hmac.new(secret, session_id.encode(), hashlib.sha256).hexdigest()


def _valid_session_id(value: str | None) -> bool:
    return bool(value) and len(value or "") == 43 and (value or "").replace("-", "").replace(
        "_", "").isalnum()


def issue(request: Request) -> tuple[str, str | None]:
    """(token for the forms, new session id to set as cookie or None)."""
    current = request.cookies.get(SESSION_COOKIE)
    if _valid_session_id(current):
        return _token(request, str(current)), None
    new = secrets.token_urlsafe(32)
    return _token(request, new), new


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, session_id: str) -> None:
    response.set_cookie(SESSION_COOKIE, session_id, max_age=SESSION_MAX_AGE, httponly=True,
                        samesite="strict", secure=_secure(request), path="/")


def verify(request: Request, submitted: str | None) -> None:
    """Raise CsrfError unless the form's token matches the session cookie."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if not _valid_session_id(session_id) or not submitted:
        raise CsrfError("this form has no valid security token; reload the page and try again")
    expected = _token(request, str(session_id))
    if not hmac.compare_digest(expected.encode(), submitted.encode()):
        raise CsrfError("this form's security token does not match; reload the page and "
                        "try again")
    origin = request.headers.get("origin")
    # compare hosts only: behind a TLS-terminating proxy the scheme differs; "null" (privacy
    # modes, sandboxed documents) says nothing either way and the token still decides
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CsrfError("this form was sent from another site")


def login_value(api_key: str) -> str:
    return hmac.new(api_key.encode(), _LOGIN_PURPOSE, hashlib.sha256).hexdigest()


def key_matches(settings: Settings, submitted: str) -> bool:
    return bool(settings.api_key) and hmac.compare_digest(
        submitted.strip().encode(), (settings.api_key or "").encode())


def set_login_cookie(response: Response, request: Request, settings: Settings) -> None:
    assert settings.api_key
    response.set_cookie(AUTH_COOKIE, login_value(settings.api_key), max_age=AUTH_MAX_AGE,
                        httponly=True, samesite="strict", secure=_secure(request), path="/")


def can_write(request: Request, settings: Settings) -> tuple[bool, int, str]:
    """The API's write rule, plus the browser sign-in cookie when a key is set."""
    if settings.api_key:
        cookie = request.cookies.get(AUTH_COOKIE, "")
        if cookie and hmac.compare_digest(cookie.encode(),
                                          login_value(settings.api_key).encode()):
            return True, 200, ""
        allowed, status, detail = write_allowed(request, settings)
        if not allowed:
            return False, 401, "sign in with the API key to change sources"
        return allowed, status, detail
    return write_allowed(request, settings)
