"""The outbound client to the audit service: fail closed.

Every data access and transformation calls :meth:`AuditClient.record` *before* it
returns data or commits a change. If the entry cannot be written (transport error,
timeout, 5xx) the call raises :class:`AuditUnavailable` (HTTP 503) and the caller's unit
of work is rolled back, so nothing is returned or changed without an audit entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import httpx
import structlog

from linesight_shared.audit_outbox import AuditOutbox
from linesight_shared.auth import Principal, TokenIssuer
from linesight_shared.contracts.audit import AuditEntryPublic, AuditEventCreate, AuditObject
from linesight_shared.errors import AuditUnavailable, UpstreamError

log = structlog.get_logger("linesight.audit_client")


class Operation(StrEnum):
    """DPA 2018 s.62 operations, plus refused accesses, logins and exports."""

    collection = "collection"
    alteration = "alteration"
    consultation = "consultation"
    disclosure = "disclosure"
    combination = "combination"
    erasure = "erasure"
    refused = "refused"
    login = "login"
    export = "export"


def obj(type_: str, id_: str, *, sha256: str | None = None, ref: str | None = None) -> AuditObject:
    """An object named in an audit entry: by type, id, and content hash where it has one."""
    return AuditObject(type=type_, id=id_, sha256=sha256, ref=ref)


class AuditClient:
    """Writes audit entries as the acting user, through this service."""

    def __init__(self, http: httpx.Client, *, tokens: TokenIssuer, service: str,
                 outbox: AuditOutbox | None = None) -> None:
        self.http = http
        self.tokens = tokens
        self.service = service
        self.outbox = outbox

    def record(
        self,
        principal: Principal,
        operation: Operation,
        *,
        case: str | None = None,
        objects: Iterable[AuditObject] = (),
        parameters: dict[str, Any] | None = None,
        recipients: list[str] | None = None,
        outcome: str = "success",
        reason: str | None = None,
        correlation_id: str | None = None,
    ) -> AuditEntryPublic:
        """Append one entry; raise AuditUnavailable if it was not durably written."""
        event = AuditEventCreate(
            client_event_id=uuid.uuid4().hex,
            operation=operation.value,
            case=case,
            objects=list(objects),
            parameters=parameters or {},
            recipients=recipients or [],
            outcome=outcome,
            reason=reason,
            correlation_id=correlation_id
            or structlog.contextvars.get_contextvars().get("correlation_id"),
        )
        token = self.tokens.issue(principal.username, principal.roles,
                                  acting_service=self.service, ttl_s=300)
        body = event.model_dump(mode="json", exclude_none=True)
        try:
            resp = self.http.post("/v1/entries", json=body,
                                  headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            log.error("audit.unavailable", error=str(exc), operation=operation.value)
            self._keep_refusal(principal, body, str(exc))
            raise AuditUnavailable(
                f"the audit service could not record this {operation.value}; "
                "the request was refused (fail closed)"
            ) from exc
        if resp.status_code >= 500:
            log.error("audit.unavailable", status=resp.status_code, operation=operation.value)
            self._keep_refusal(principal, body, f"HTTP {resp.status_code}")
            raise AuditUnavailable(
                f"the audit service answered {resp.status_code}; the request was refused"
            )
        if resp.status_code >= 400:
            raise UpstreamError(f"the audit service refused the entry: {resp.text[:500]}")
        return AuditEntryPublic.model_validate(resp.json())

    def _keep_refusal(self, principal: Principal, body: dict[str, Any], error: str) -> None:
        if self.outbox is not None and body["operation"] != Operation.refused.value:
            self.outbox.add(username=principal.username, roles=sorted(principal.roles),
                            operation=body["operation"], case=body.get("case"),
                            objects=body.get("objects", []),
                            correlation_id=body.get("correlation_id"), error=error)

    def flush_refusals(self) -> int:
        """Write the refusals kept while the audit service was down (see AuditOutbox)."""
        if self.outbox is None:
            return 0

        def post(rec: dict[str, Any]) -> None:
            token = self.tokens.issue(rec["username"], rec["roles"],
                                      acting_service=self.service, ttl_s=300)
            event = AuditEventCreate(
                client_event_id=rec["client_event_id"], operation=Operation.refused.value,
                case=rec.get("case"), objects=rec.get("objects", []),
                parameters=rec["parameters"], outcome="refused",
                reason="the audit service was unavailable, so the access was refused "
                       "(fail closed); recorded once it was back",
                correlation_id=rec.get("correlation_id"),
            )
            resp = self.http.post("/v1/entries", json=event.model_dump(mode="json",
                                                                       exclude_none=True),
                                  headers={"Authorization": f"Bearer {token}"})
            resp.raise_for_status()

        return self.outbox.flush(post)

    def healthy(self) -> bool:
        try:
            return self.http.get("/health", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False
