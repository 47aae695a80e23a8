"""Requesting, reading and disclosing reports. No commit here: the request (or job) does it.

Audit, fail closed: each function records its audit entry *before* its unit of work is
committed or the PDF returned. Rendering is a ``combination`` (exhibits and analysis
results by hash, the report by its hash); reading the PDF is a ``consultation``, or a
``disclosure`` naming its recipients when it is handed to someone outside the team.
"""

from __future__ import annotations

import uuid

from linesight_shared.access import authorise
from linesight_shared.audit_client import Operation, obj
from linesight_shared.auth import Principal, Role
from linesight_shared.clients.analytics import AnalyticsClient
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.errors import Conflict
from linesight_shared.jobs import JobStatus
from linesight_shared.runtime import ServiceRuntime
from sqlmodel import Session

from linesight_reporting.jobs.schemas import Job
from linesight_reporting.reports.gather import check_analysis_ids, finished_analysis
from linesight_reporting.reports.repository import ReportRepository
from linesight_reporting.reports.schemas import DEFAULT_TITLE, Report, ReportCreate, ReportPublic

RENDER = "reports.render"
RENDERERS = (Role.analyst, Role.supervisor)
READERS = (Role.analyst, Role.supervisor, Role.disclosure_officer)


def to_public(report: Report, job: Job) -> ReportPublic:
    return ReportPublic(
        id=report.id, case_reference=report.case_reference, title=report.title,
        analysis_ids=report.analysis_ids, status=job.status,
        message=job.message if job.status == JobStatus.failed else None,
        sha256=report.sha256, object_key=report.object_key, size=report.size,
        pages=report.pages, code_version=report.code_version, job_id=report.job_id,
        created_by=report.created_by, created_at=report.created_at,
        finished_at=job.finished_at,
    )


def peers_as(runtime: ServiceRuntime, user: Principal) -> tuple[IngestClient, AnalyticsClient]:
    """The ingest and analytics services, called as ``user`` (their token travels)."""
    return (IngestClient(runtime.peer("ingest"), user.token),
            AnalyticsClient(runtime.peer("analytics"), user.token))



def request_report(session: Session, runtime: ServiceRuntime, user: Principal,
                   case_reference: str, body: ReportCreate, cid: str) -> tuple[Report, Job]:
    """Check the case and analyses, record the report and its queued job."""
    authorise(runtime, user, RENDERERS, case=case_reference, action=RENDER, correlation_id=cid)
    check_analysis_ids(body.analysis_ids)
    ingest, analytics = peers_as(runtime, user)
    case = ingest.get_case(case_reference)
    analyses = [finished_analysis(analytics, case.reference, a) for a in body.analysis_ids]
    report_id = uuid.uuid4().hex
    job = runtime.jobs.create(session, kind=RENDER, subject_id=report_id, case_id=case.id,
                              principal=user, correlation_id=cid)
    report = ReportRepository(session).add(Report(
        id=report_id, case_id=case.id, case_reference=case.reference,
        title=body.title or DEFAULT_TITLE, analysis_ids=list(body.analysis_ids), job_id=job.id,
        created_by=user.username, created_at=job.created_at,
    ))
    runtime.audit.record(
        user, Operation.combination, case=case.reference,
        objects=[*(obj("analysis_result", a.id, sha256=a.result_sha256) for a in analyses),
                 obj("report", report.id)],
        parameters={"stage": "requested", "job_id": job.id}, correlation_id=cid,
    )
    return report, job


def get_report(session: Session, runtime: ServiceRuntime, user: Principal,
               report_id: str, cid: str) -> ReportPublic:
    """One report (its title is free text that may name people: an audited consultation)."""
    report, job = ReportRepository(session).with_job(report_id)
    authorise(runtime, user, READERS, case=report.case_reference, action="reports.get",
              correlation_id=cid)
    runtime.audit.record(user, Operation.consultation, case=report.case_reference,
                         objects=[obj("report", report.id, sha256=report.sha256)],
                         parameters={"view": "report"}, correlation_id=cid)
    return to_public(report, job)


def list_reports(session: Session, runtime: ServiceRuntime, user: Principal,
                 case_reference: str, cid: str) -> list[ReportPublic]:
    authorise(runtime, user, READERS, case=case_reference, action="reports.list", correlation_id=cid)
    found = ReportRepository(session).for_case(case_reference)
    runtime.audit.record(user, Operation.consultation, case=case_reference,
                         objects=[obj("report", r.id, sha256=r.sha256) for r, _ in found],
                         parameters={"view": "reports"}, correlation_id=cid)
    return [to_public(r, j) for r, j in found]


def read_pdf(session: Session, runtime: ServiceRuntime, user: Principal, report_id: str,
             recipients: list[str], cid: str) -> tuple[bytes, Report]:
    """The PDF's stored bytes, checked against its SHA-256; audited as a disclosure to
    ``recipients`` when there are any, else as a consultation."""
    report, job = ReportRepository(session).with_job(report_id)
    authorise(runtime, user, READERS, case=report.case_reference, action="reports.pdf",
              correlation_id=cid)
    if job.status != JobStatus.succeeded or report.sha256 is None:
        raise Conflict(f"report {report_id} is {job.status}; it has no PDF yet")
    data = runtime.store.get_bytes(report.object_key, sha256=report.sha256)
    runtime.audit.record(
        user, Operation.disclosure if recipients else Operation.consultation,
        case=report.case_reference, objects=[obj("report", report.id, sha256=report.sha256)],
        recipients=recipients, parameters={"format": "pdf", "pages": report.pages},
        correlation_id=cid,
    )
    return data, report
