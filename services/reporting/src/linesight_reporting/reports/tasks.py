"""The ``reports.render`` actor: gather from the peers as the user, render, store the PDF.

Idempotent: a report that already has its PDF returns it again. The rendering is audited
(``combination``: the exhibits and analysis results it shows by hash, and the PDF by its
hash) before the PDF is stored, and stored before the row points at it, so an audit
outage leaves no PDF behind (the job is retried). A report that cannot be made (an
analysis gone or changed, access refused) is recorded as a failed combination, not retried.
"""

from __future__ import annotations

import hashlib

from linesight_shared.audit_client import Operation, obj
from linesight_shared.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    UpstreamError,
)
from linesight_shared.jobs import JobContext, PermanentJobError
from linesight_shared.objectstore import object_key
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.runtime import ServiceRuntime

from linesight_reporting.rendering import ReportData, render_pdf
from linesight_reporting.reports.gather import gather, tile_source_of
from linesight_reporting.reports.repository import ReportRepository
from linesight_reporting.reports.schemas import Report
from linesight_reporting.reports.service import RENDER, peers_as

#: Errors no retry can mend: the job fails with the reason, audited.
PERMANENT = (NotFound, Conflict, Forbidden, Unauthorized, BadRequest, IntegrityError,
             UpstreamError)


def register(runtime: ServiceRuntime) -> None:
    runtime.jobs.register(RENDER, lambda ctx: render_report(runtime, ctx))


def _done(report: Report) -> dict:
    return {"report_id": report.id, "sha256": report.sha256, "pages": report.pages}


def _shown(data: ReportData | None) -> list:
    if data is None:
        return []
    return [*(obj("exhibit", e.id, sha256=e.sha256, ref=e.reference) for e in data.exhibits),
            *(obj("analysis_result", a.id, sha256=a.result_sha256) for a in data.analyses)]


def _audit(runtime: ServiceRuntime, ctx: JobContext, report: Report, data: ReportData | None,
           *, sha256: str | None = None, pages: int | None = None, outcome: str = "success",
           reason: str | None = None) -> None:
    runtime.audit.record(
        ctx.principal, Operation.combination, case=report.case_reference,
        objects=[*_shown(data), obj("report", report.id, sha256=sha256)],
        parameters={"stage": "completed", "job_id": ctx.job.id, "pages": pages,
                    "code_version": runtime.version},
        outcome=outcome, reason=reason, correlation_id=ctx.job.correlation_id,
    )


def render_report(runtime: ServiceRuntime, ctx: JobContext) -> dict:
    report = ReportRepository(ctx.session).get(ctx.job.subject_id)
    if report is None:
        raise PermanentJobError(f"report {ctx.job.subject_id} does not exist")
    if report.sha256 is not None:
        return _done(report)
    ingest, analytics = peers_as(runtime, ctx.principal)
    try:
        data = gather(ingest, analytics, report, generated_at=ctx.job.created_at,
                      code_version=runtime.version,
                      tile_source=tile_source_of(runtime.settings))
    except PERMANENT as exc:
        reason = getattr(exc, "detail", None) or str(exc)
        _audit(runtime, ctx, report, None, outcome="failure", reason=reason[:2000])
        raise PermanentJobError(reason) from exc
    ctx.progress(0.5, "rendering")
    rendered = render_pdf(data)
    sha = hashlib.sha256(rendered.pdf).hexdigest()
    _audit(runtime, ctx, report, data, sha256=sha, pages=rendered.pages)
    key = object_key(report.case_id, "reports", sha, ".pdf")
    runtime.store.put_bytes(key, rendered.pdf, content_type="application/pdf")
    report.sha256, report.object_key = sha, key
    report.size, report.pages = len(rendered.pdf), rendered.pages
    report.code_version = runtime.version
    ctx.session.add(report)
    return _done(report)
