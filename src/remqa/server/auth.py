"""Who may call the HTTP API: a bearer token (REMQA_API_KEY) whenever one is set, and one
is needed at all when the server listens on an address other machines can reach."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from remqa.server.errors import ApiError
from remqa.settings import Settings, is_loopback

if TYPE_CHECKING:
    from starlette.requests import Request


def check_api_key(request: Request, settings: Settings, host: str) -> None:
    """Raise ApiError (401, 403) unless this request may use the API."""
    if settings.api_key is None:
        if is_loopback(host):
            return
        raise ApiError(
            403,
            f"The HTTP API is off: this server listens on {host}, which other machines can "
            "reach. Start it with REMQA_API_KEY=<a long random string> and send that key as "
            "'Authorization: Bearer <key>'.",
            code="api_key_required",
            kind="permission_error",
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.api_key.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise ApiError(
            401,
            "Missing or wrong API key. Send the server's REMQA_API_KEY as "
            "'Authorization: Bearer <key>' (the openai client: api_key=...).",
            code="invalid_api_key",
            kind="authentication_error",
        )
