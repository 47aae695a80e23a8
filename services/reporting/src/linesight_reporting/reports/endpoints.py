"""Routes of the reports domain: request a report, read it, download its PDF.

A request records the report and its job in the request's unit of work, which
``SessionDep`` commits when the route returns; the job is enqueued from a
``BackgroundTasks`` task, which Starlette runs only after the response is sent, so never
before the commit. Were the enqueue itself to fail, the job stays ``queued`` and the next
start-up re-enqueues it (``JobRunner.recover``).
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

from linesight_reporting.reports import service
from linesight_reporting.reports.schemas import ReportCreate, ReportPublic, ReportRequested

router = APIRouter(prefix="/v1", tags=["reports"])


@router.post("/cases/{case_ref}/reports", status_code=202, response_model=ReportRequested,
             responses=responses(BadRequest, Forbidden, NotFound, Conflict, UpstreamError,
                                 ServiceUnavailable))
def request_report(case_ref: str, body: ReportCreate, session: SessionDep, runtime: RuntimeDep,
                   user: CurrentUser, cid: CorrelationId,
                   background: BackgroundTasks) -> ReportRequested:
    """Render a PDF report of the case's exhibits, their ingest summaries and the given
    finished analyses (409 if one is not finished, 404 if it is not in the case)."""
    report, job = service.request_report(session, runtime, user, case_ref, body, cid)
    background.add_task(runtime.jobs.enqueue, job)
    return ReportRequested(report=service.to_public(report, job),
                           job=JobPublic.model_validate(job))


@router.get("/cases/{case_ref}/reports", response_model=list[ReportPublic],
            responses=responses(Forbidden))
def list_reports(case_ref: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                 cid: CorrelationId) -> list[ReportPublic]:
    """The case's reports, oldest first."""
    return service.list_reports(session, runtime, user, case_ref, cid)


@router.get("/reports/{report_id}", response_model=ReportPublic,
            responses=responses(Forbidden, NotFound))
def get_report(report_id: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
               cid: CorrelationId) -> ReportPublic:
    """One report: its status, the analyses it shows, and its PDF's SHA-256 and pages."""
    return service.get_report(session, runtime, user, report_id, cid)


@router.get("/reports/{report_id}/pdf", response_class=Response,
            responses={**responses(Forbidden, NotFound, Conflict, IntegrityError),
                       200: {"content": {"application/pdf": {}},
                             "description": "The PDF, checked against its SHA-256 before it "
                                            "is sent (X-Content-SHA256)",
                             "headers": {"X-Content-SHA256": {"schema": {"type": "string"}}}}})
def download_pdf(report_id: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                 cid: CorrelationId,
                 recipient: Annotated[list[str] | None, Query(
                     max_length=20, description="Who the PDF is handed to: the download is "
                                                "then audited as a disclosure to them")] = None
                 ) -> Response:
    """The rendered PDF (409 while it is being rendered)."""
    recipients = [r.strip() for r in recipient or [] if r.strip()]
    data, report = service.read_pdf(session, runtime, user, report_id, recipients, cid)
    filename = f"{report.case_reference}-report-{report.id}.pdf"
    return Response(content=data, media_type="application/pdf", headers={
        "X-Content-SHA256": report.sha256,
        "Content-Disposition": f'attachment; filename="{filename}"',
    })
