"""Dependencies shared by routers: the database, settings, write access."""

from __future__ import annotations

import hmac
import ipaddress
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from newsarchive.config import Settings
from newsarchive.storage.db import Database


# The getters are ``async def`` although they never wait: FastAPI runs a plain ``def``
# dependency in the thread pool, one thread hop (~0.1 ms) per dependency per request.
async def get_db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host in ("localhost", "testclient"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def write_allowed(request: Request, settings: Settings) -> tuple[bool, int, str]:
    """(allowed, status, detail): the key when one is set, else loopback clients only."""
    if settings.api_key:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False, 401, "this write needs 'Authorization: Bearer <NEWSARCHIVE_API_KEY>'"
        if not hmac.compare_digest(token.strip().encode(), settings.api_key.encode()):
            return False, 403, "the API key is wrong"
        return True, 200, ""
    client = request.client.host if request.client else None
    if not is_loopback(client):
        return False, 403, ("writes are accepted from loopback clients only; "
                            "set NEWSARCHIVE_API_KEY to allow remote writes")
    return True, 200, ""


def require_write(request: Request, settings: SettingsDep) -> None:
    allowed, status, detail = write_allowed(request, settings)
    if not allowed:
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        raise HTTPException(status_code=status, detail=detail, headers=headers)


WriteAccess = Depends(require_write)
