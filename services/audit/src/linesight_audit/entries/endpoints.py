"""Routes of the audit log: append, read, verify, export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse, StreamingResponse
from linesight_shared.auditverify.note import parse_verifier_key
from linesight_shared.auth import Principal, Role
from linesight_shared.errors import BadRequest, NotFound, responses
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep, SessionDep

from linesight_audit.entries import bundle, lineage, service
from linesight_audit.entries.lineage import Lineage
from linesight_audit.entries.repository import AuditRepository
from linesight_audit.entries.schemas import (
    AuditEntryList,
    AuditEntryPublic,
    AuditEventCreate,
    Operation,
    Outcome,
    VerifyReport,
)

router = APIRouter(prefix="/v1", tags=["audit"])
READERS = (Role.disclosure_officer, Role.supervisor, Role.service)


def _audit_own_access(session, principal: Principal, operation: Operation, *,
                      case: str | None, parameters: dict, correlation_id: str) -> None:
    """Reading the log is itself an access: it is appended before the data is returned."""
    service.append(session, AuditEventCreate(
        operation=operation, case=case, parameters=parameters, correlation_id=correlation_id,
    ), principal)


@router.post("/entries", response_model=AuditEntryPublic, status_code=201,
             responses={200: {"model": AuditEntryPublic,
                              "description": "Already written (same client_event_id)"},
                        **responses()})
def append_entry(event: AuditEventCreate, session: SessionDep, user: CurrentUser,
                 response: Response) -> AuditEntryPublic:
    """Append an event. The actor, role, service and time are taken from the caller's token
    and the server clock. A retry with the same ``client_event_id`` is not written twice.
    The answer comes after the entry is committed."""
    entry, created = service.append(session, event, user)
    if not created:
        response.status_code = 200
    return entry


@router.get("/entries", response_model=AuditEntryList, responses=responses())
def list_entries(
    session: SessionDep, user: CurrentUser, cid: CorrelationId,
    case: str | None = None, actor: str | None = None, operation: Operation | None = None,
    object_type: str | None = None, object_id: str | None = None,
    object_ref: Annotated[str | None, Query(description="e.g. ABC/1")] = None,
    object_sha256: str | None = None,
    since: Annotated[datetime | None, Query(description="time >= since (UTC)")] = None,
    until: Annotated[datetime | None, Query(description="time < until (UTC)")] = None,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditEntryList:
    """Entries in sequence order, filtered by case, person, operation, object (type, id,
    reference or content hash) and time: e.g. every access to exhibit ABC/1."""
    user.require(*READERS)
    filters = {"case": case, "actor": actor, "operation": operation and operation.value,
               "object_type": object_type, "object_id": object_id, "object_ref": object_ref,
               "object_sha256": object_sha256, "since": since, "until": until}
    _audit_own_access(session, user, Operation.consultation, case=case,
                      parameters={k: str(v) for k, v in filters.items() if v is not None}
                      | {"after_seq": after_seq, "limit": limit},
                      correlation_id=cid)
    rows = AuditRepository(session).search(after_seq=after_seq, limit=limit, **filters)
    entries = [service.to_public(r) for r in rows]
    return AuditEntryList(entries=entries,
                          next_after_seq=entries[-1].seq if len(entries) == limit else None)


@router.get("/entries/{seq}", response_model=AuditEntryPublic, responses=responses(NotFound))
def get_entry(seq: int, session: SessionDep, user: CurrentUser, cid: CorrelationId
              ) -> AuditEntryPublic:
    """One entry by sequence number (its hashes let anyone check it against the chain).
    For disclosure officers and supervisors; the reading is itself logged."""
    user.require(*READERS)
    row = AuditRepository(session).get(seq)
    if row is None:
        raise NotFound(f"audit entry {seq} does not exist")
    _audit_own_access(session, user, Operation.consultation, case=row.case,
                      parameters={"seq": seq}, correlation_id=cid)
    return service.to_public(row)


@router.get("/verify", response_model=VerifyReport, responses=responses())
def verify_chain(session: SessionDep, user: CurrentUser, runtime: RuntimeDep) -> VerifyReport:
    """Re-walk the whole chain and say where, if anywhere, it breaks: every entry, the
    Merkle roots and the signatures of every signed checkpoint."""
    return service.verify(session, parse_verifier_key(runtime.signer.verifier_key))


@router.get("/cases/{case}/export", responses={
    200: {"content": {"application/x-ndjson": {}},
          "description": "JSON Lines: one {seq, entry, prev_hash, hash} per line"},
    **responses()})
def export_case(case: str, session: SessionDep, user: CurrentUser, cid: CorrelationId
                ) -> StreamingResponse:
    """Every entry of a case as JSON Lines, in sequence order. The export is itself logged
    (operation ``export``) before any line is sent."""
    user.require(*READERS)
    _audit_own_access(session, user, Operation.export, case=case,
                      parameters={"format": "jsonl"}, correlation_id=cid)
    rows = [service.to_public(r).model_dump_json() + "\n"
            for r in AuditRepository(session).iter_all(case=case)]
    return StreamingResponse(iter(rows), media_type="application/x-ndjson",
                             headers={"Content-Disposition":
                                      f'attachment; filename="{case}-audit.jsonl"'})


@router.get("/cases/{case}/lineage", response_model=Lineage, responses=responses(NotFound))
def case_lineage(case: str, session: SessionDep, user: CurrentUser, cid: CorrelationId,
                 ref: Annotated[str | None, Query(description="object reference, e.g. ABC/1")]
                 = None, object_id: str | None = None) -> Lineage:
    """Everything derived from an object (exhibit → datasets → analyses → reports), read
    from the log alone."""
    user.require(*READERS)
    if (ref is None) == (object_id is None):
        raise BadRequest("give exactly one of ref and object_id")
    _audit_own_access(session, user, Operation.consultation, case=case,
                      parameters={"view": "lineage", "ref": ref, "object_id": object_id},
                      correlation_id=cid)
    return lineage.lineage(session, case, ref=ref, object_id=object_id)


@router.get("/cases/{case}/bundle", responses={
    200: {"content": {"application/json": {}},
          "description": "linesight.audit-bundle/1: entries, inclusion proofs, signed checkpoint"},
    **responses()})
def export_bundle(case: str, session: SessionDep, user: CurrentUser, cid: CorrelationId,
                  runtime: RuntimeDep) -> JSONResponse:
    """Every entry of a case with its inclusion proof in a checkpoint signed now, for
    offline verification (``python -m linesight_shared.auditverify``). The export is itself
    logged, and covered by the checkpoint, before the bundle is built."""
    user.require(*READERS)
    _audit_own_access(session, user, Operation.export, case=case,
                      parameters={"format": "bundle"}, correlation_id=cid)
    return JSONResponse(bundle.build(session, runtime.signer, case), headers={
        "Content-Disposition": f'attachment; filename="{case}-audit-bundle.json"'})


__all__ = ["Outcome", "router"]
