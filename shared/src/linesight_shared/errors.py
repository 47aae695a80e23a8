"""Domain errors. Each carries its HTTP status; one handler renders them all.

Exception tree::

    LinesightError                      500  base of every domain error
    ├── BadRequest                      400  well-formed request that cannot be done
    ├── Unauthorized                    401  no or invalid token
    ├── Forbidden                       403  authenticated, but the role does not allow it
    ├── NotFound                        404
    ├── Conflict                        409  e.g. the same bytes already uploaded
    ├── PayloadTooLarge                 413
    ├── UpstreamError                   502  a peer service answered with an error
    └── ServiceUnavailable              503  a dependency is down
        └── AuditUnavailable            503  the audit entry could not be written: fail closed

Rendered as ``{"error": "<code>", "detail": "<human sentence>"}``. 422 stays for payload
validation (FastAPI's own).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """Body of every non-2xx answer produced by a domain error."""

    error: str
    detail: str


class LinesightError(Exception):
    status_code: int = 500
    code: str = "internal_error"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "detail": self.detail}


class BadRequest(LinesightError):
    status_code = 400
    code = "bad_request"


class Unauthorized(LinesightError):
    status_code = 401
    code = "unauthorized"

    def __init__(self, detail: str = "A valid bearer token is required") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(LinesightError):
    status_code = 403
    code = "forbidden"


class NotFound(LinesightError):
    status_code = 404
    code = "not_found"


class Conflict(LinesightError):
    status_code = 409
    code = "conflict"


class InvalidParameters(LinesightError):
    """Values that parse but break the rules of what they parameterise (422)."""

    status_code = 422
    code = "invalid_parameters"


class PayloadTooLarge(LinesightError):
    status_code = 413
    code = "payload_too_large"


class UpstreamError(LinesightError):
    status_code = 502
    code = "upstream_error"


class ServiceUnavailable(LinesightError):
    status_code = 503
    code = "service_unavailable"


class AuditUnavailable(ServiceUnavailable):
    code = "audit_unavailable"


def responses(*errors: type[LinesightError]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route, so its domain errors appear in the OpenAPI contract."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in (*errors, Unauthorized, AuditUnavailable):
        out[err.status_code] = {"model": ErrorBody, "description": err.__doc__ or err.code}
    return out
