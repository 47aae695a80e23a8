"""Routes of the audit summaries domain: request a summary of a case's audit log, read it,
download its PDF.

As for reports, a request records the summary and its job in the request's unit of work,
committed when the route returns; the job is enqueued from a ``BackgroundTasks`` task,
which runs only after the response is sent, so never before the commit.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Response
from linesight_shared.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    UpstreamError,
    responses,
)
from linesight_shared.jobs import JobPublic
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep, SessionDep

from linesight_reporting.audit_summaries import service
from linesight_reporting.audit_summaries.schemas import (
    AuditSummaryCreate,
    AuditSummaryPublic,
    AuditSummaryRequested,
)

router = APIRouter(prefix="/v1", tags=["audit summaries"])


@router.post("/cases/{case_ref}/audit-summaries", status_code=202,
             response_model=AuditSummaryRequested,
             responses=responses(BadRequest, Forbidden, NotFound, UpstreamError,
                                 ServiceUnavailable))
def request_audit_summary(case_ref: str, body: AuditSummaryCreate, session: SessionDep,
                          runtime: RuntimeDep, user: CurrentUser, cid: CorrelationId,
                          background: BackgroundTasks) -> AuditSummaryRequested:
    """Render a PDF summary of the case's audit log: who accessed what, when, by
    operation, verified against a signed checkpoint, with the bundle attached
    (disclosure officers and supervisors)."""
    summary, job = service.request_summary(session, runtime, user, case_ref, body, cid)
    background.add_task(runtime.jobs.enqueue, job)
    return AuditSummaryRequested(summary=service.to_public(summary, job),
                                 job=JobPublic.model_validate(job))


@router.get("/audit-summaries/{summary_id}", response_model=AuditSummaryPublic,
            responses=responses(Forbidden, NotFound))
def get_audit_summary(summary_id: str, session: SessionDep, runtime: RuntimeDep,
                      user: CurrentUser, cid: CorrelationId) -> AuditSummaryPublic:
    """One audit summary: its status, filters, the checkpoint it was verified against,
    and its PDF's SHA-256 and pages."""
    return service.get_summary(session, runtime, user, summary_id, cid)


@router.get("/audit-summaries/{summary_id}/pdf", response_class=Response,
            responses={**responses(Forbidden, NotFound, Conflict, IntegrityError),
                       200: {"content": {"application/pdf": {}},
                             "description": "The PDF, checked against its SHA-256 before it "
                                            "is sent (X-Content-SHA256)",
                             "headers": {"X-Content-SHA256": {"schema": {"type": "string"}}}}})
def download_audit_summary_pdf(
        summary_id: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
        cid: CorrelationId,
        recipient: Annotated[list[str] | None, Query(
            max_length=20, description="Who the PDF is handed to: the download is then "
                                       "audited as a disclosure to them")] = None
) -> Response:
    """The rendered PDF (409 while it is being rendered, or when it failed)."""
    recipients = [r.strip() for r in recipient or [] if r.strip()]
    data, summary = service.read_pdf(session, runtime, user, summary_id, recipients, cid)
    filename = f"{summary.case_reference}-audit-summary-{summary.id}.pdf"
    return Response(content=data, media_type="application/pdf", headers={
        "X-Content-SHA256": summary.sha256,
        "Content-Disposition": f'attachment; filename="{filename}"',
    })
