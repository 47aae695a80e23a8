"""The base every service client builds on: auth, correlation id, error mapping."""

from __future__ import annotations

import time
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote

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
    413: PayloadTooLarge, 422: BadRequest, 503: ServiceUnavailable,
}


FINISHED_STATUSES = frozenset({"succeeded", "failed"})


def seg(value: str) -> str:
    """One URL path segment, escaped (case and exhibit references may hold ``/``)."""
    return quote(value, safe="")


class ServiceClient:
    """Calls one peer service as one principal (a bearer token).

    Services with jobs set ``job_model`` to the ``JobPublic`` of their contract and get
    :meth:`get_job` and :meth:`wait_for_job`.
    """

    service = "service"
    job_model: ClassVar[type[BaseModel] | None] = None

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

    def get_job(self, job_id: str) -> Any:
        if self.job_model is None:
            raise TypeError(f"the {self.service} service has no jobs")
        return self.get_model(f"/v1/jobs/{seg(job_id)}", self.job_model)

    def wait_for_job(self, job_id: str, timeout_s: float = 300.0, poll_s: float = 0.5) -> Any:
        """Poll until the job has succeeded or failed and return it (a failed job is
        returned, not raised: its ``message`` says why); TimeoutError after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while True:
            job = self.get_job(job_id)
            if str(getattr(job.status, "value", job.status)) in FINISHED_STATUSES:
                return job
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{self.service} job {job_id} is still "
                                   f"{getattr(job.status, 'value', job.status)} after "
                                   f"{timeout_s:g} s")
            time.sleep(poll_s)
