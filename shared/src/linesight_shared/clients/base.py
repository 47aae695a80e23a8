"""The base every service client builds on: auth, correlation id, error mapping."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
import structlog
from pydantic import BaseModel

from linesight_shared.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    LinesightError,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
    UpstreamError,
)

M = TypeVar("M", bound=BaseModel)

_BY_STATUS: dict[int, type[LinesightError]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict,
    413: PayloadTooLarge, 503: ServiceUnavailable,
}


class ServiceClient:
    """Calls one peer service as one principal (a bearer token)."""

    service = "service"

    def __init__(self, http: httpx.Client, token: str | None = None) -> None:
        self.http = http
        self.token = token

    def _headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        cid = structlog.contextvars.get_contextvars().get("correlation_id")
        if cid:
            headers["X-Correlation-ID"] = cid
        return headers

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self._headers(), **kwargs.pop("headers", {})}
        try:
            resp = self.http.request(method, url, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"the {self.service} service is unreachable: {exc}") from exc
        if resp.status_code >= 400:
            raise self._error(resp)
        return resp

    def _error(self, resp: httpx.Response) -> LinesightError:
        try:
            detail = resp.json().get("detail", resp.text)
        except ValueError:
            detail = resp.text
        if isinstance(detail, list):  # FastAPI 422 validation errors
            detail = "; ".join(f"{'.'.join(map(str, d.get('loc', [])))}: {d.get('msg')}"
                               for d in detail)
        cls = _BY_STATUS.get(resp.status_code, UpstreamError)
        if cls is Unauthorized:
            return Unauthorized(f"{self.service}: {detail}")
        return cls(f"{self.service}: {detail}")

    def get_model(self, url: str, model: type[M], **kwargs: Any) -> M:
        return model.model_validate(self.request("GET", url, **kwargs).json())

    def post_model(self, url: str, model: type[M], **kwargs: Any) -> M:
        return model.model_validate(self.request("POST", url, **kwargs).json())
