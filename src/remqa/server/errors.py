"""Errors of the HTTP API, in the OpenAI error shape, and reading a request body safely."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import JSONResponse


class ApiError(Exception):
    """An error a client can act on; becomes {"error": {message, type, param, code}}."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        param: str | None = None,
        kind: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.kind = kind

    def response(self) -> JSONResponse:
        from starlette.responses import JSONResponse

        body = {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse({"error": body}, status_code=self.status, headers=headers)


async def read_json(request: Request, limit: int) -> Any:
    """The request's JSON body, refused with a clear ApiError when it is too large (checked
    while it arrives, so a huge body is never held whole) or not UTF-8 JSON."""
    declared = request.headers.get("content-length", "")
    too_large = ApiError(
        413,
        f"The request body is over {limit:,} bytes (REMQA_MAX_REQUEST_BYTES). "
        "Send a shorter conversation.",
        code="request_too_large",
    )
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    parts: list[bytes] = []
    size = 0
    async for part in request.stream():
        size += len(part)
        if size > limit:
            raise too_large
        parts.append(part)
    try:
        return json.loads(b"".join(parts))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise ApiError(
            400,
            "The request body is not valid JSON in UTF-8. Send one JSON object "
            "(Content-Type: application/json).",
            code="invalid_json",
        ) from None


def validation_message(exc: Exception) -> tuple[str, str | None]:
    """A one-line message and the offending field for a pydantic ValidationError."""
    errors: list[dict[str, Any]] = list(getattr(exc, "errors", list)())
    if not errors:
        return str(exc), None
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{where or 'body'}: {first.get('msg', 'invalid')}{more}.", where or None
