"""Requesting, reading and disclosing audit summaries. No commit here: the request (or
job) does it.

Only disclosure officers and supervisors may ask for or read a summary of a case's audit
log; anyone else is refused, and the refusal is itself an audit entry
(:func:`linesight_shared.access.authorise`). Audit, fail closed, as for reports: the
request is recorded (``combination``, stage ``requested``) before it is committed, the
rendering before the PDF is stored (:mod:`.tasks`), and reading the PDF is a
``consultation``, or a ``disclosure`` naming its recipients.
"""

from __future__ import annotations

import uuid

from linesight_shared.access import authorise
from linesight_shared.audit_client import Operation, obj
from linesight_shared.auth import Principal, Role
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.errors import Conflict
from linesight_shared.jobs import JobStatus
from linesight_shared.runtime import ServiceRuntime
from sqlmodel import Session

from linesight_reporting.audit_summaries.repository import AuditSummaryRepository
from linesight_reporting.audit_summaries.schemas import (
    AuditSummary,
    AuditSummaryCreate,
    AuditSummaryPublic,
)
from linesight_reporting.jobs.schemas import Job

RENDER = "audit_summaries.render"
#: Who may ask for and read a summary of a case's audit log.
SUMMARISERS = (Role.disclosure_officer, Role.supervisor)


def to_public(summary: AuditSummary, job: Job) -> AuditSummaryPublic:
    return AuditSummaryPublic(
        id=summary.id, case_reference=summary.case_reference,
        filters=AuditSummaryCreate.model_validate(summary.filters), status=job.status,
        message=job.message if job.status == JobStatus.failed else None,
        bundle_sha256=summary.bundle_sha256, checkpoint_origin=summary.checkpoint_origin,
        checkpoint_size=summary.checkpoint_size, checkpoint_root=summary.checkpoint_root,
        verifier_key=summary.verifier_key, entries_total=summary.entries_total,
        entries_shown=summary.entries_shown, sha256=summary.sha256,
        object_key=summary.object_key, size=summary.size, pages=summary.pages,
        code_version=summary.code_version, job_id=summary.job_id,
        created_by=summary.created_by, created_at=summary.created_at,
        finished_at=job.finished_at,
    )


def request_summary(session: Session, runtime: ServiceRuntime, user: Principal,
                    case_reference: str, body: AuditSummaryCreate, cid: str
                    ) -> tuple[AuditSummary, Job]:
    """Check the role and the case, record the summary and its queued job."""
    authorise(runtime, user, SUMMARISERS, case=case_reference, action=RENDER,
              correlation_id=cid)
    case = IngestClient(runtime.peer("ingest"), user.token).get_case(case_reference)
    summary_id = uuid.uuid4().hex
    job = runtime.jobs.create(session, kind=RENDER, subject_id=summary_id, case_id=case.id,
                              principal=user, correlation_id=cid)
    filters = body.model_dump(mode="json", exclude_none=True)
    summary = AuditSummaryRepository(session).add(AuditSummary(
        id=summary_id, case_id=case.id, case_reference=case.reference, filters=filters,
        job_id=job.id, created_by=user.username, created_at=job.created_at,
    ))
    runtime.audit.record(
        user, Operation.combination, case=case.reference,
        objects=[obj("audit_summary", summary.id)],
        parameters={"stage": "requested", "job_id": job.id, "filters": filters},
        correlation_id=cid,
    )
    return summary, job


def get_summary(session: Session, runtime: ServiceRuntime, user: Principal,
                summary_id: str, cid: str) -> AuditSummaryPublic:
    summary, job = AuditSummaryRepository(session).with_job(summary_id)
    authorise(runtime, user, SUMMARISERS, case=summary.case_reference,
              action="audit_summaries.get", correlation_id=cid)
    runtime.audit.record(user, Operation.consultation, case=summary.case_reference,
                         objects=[obj("audit_summary", summary.id, sha256=summary.sha256)],
                         parameters={"view": "audit_summary"}, correlation_id=cid)
    return to_public(summary, job)


def read_pdf(session: Session, runtime: ServiceRuntime, user: Principal, summary_id: str,
             recipients: list[str], cid: str) -> tuple[bytes, AuditSummary]:
    """The PDF's stored bytes, checked against its SHA-256; audited as a disclosure to
    ``recipients`` when there are any, else as a consultation."""
    summary, job = AuditSummaryRepository(session).with_job(summary_id)
    authorise(runtime, user, SUMMARISERS, case=summary.case_reference,
              action="audit_summaries.pdf", correlation_id=cid)
    if job.status != JobStatus.succeeded or summary.sha256 is None:
        raise Conflict(f"audit summary {summary_id} is {job.status}; it has no PDF"
                       + (f": {job.message}" if job.status == JobStatus.failed else " yet"))
    data = runtime.store.get_bytes(summary.object_key, sha256=summary.sha256)
    runtime.audit.record(
        user, Operation.disclosure if recipients else Operation.consultation,
        case=summary.case_reference,
        objects=[obj("audit_summary", summary.id, sha256=summary.sha256)],
        recipients=recipients, parameters={"format": "pdf", "pages": summary.pages},
        correlation_id=cid,
    )
    return data, summary
