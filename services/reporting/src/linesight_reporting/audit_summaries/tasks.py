"""The ``audit_summaries.render`` actor: fetch and verify the case's audit bundle as the
user, count, render, store the PDF.

Idempotent: a summary that already has its PDF returns it again. A bundle that does not
verify (or a lineage link the bundle does not bear out) makes no PDF: the job fails with
every problem the verifier named, and the failure is audited. The rendering is audited
(``combination``: the bundle by its SHA-256 and the summary by its PDF's) before the PDF
is stored, and stored before the row points at it, so an audit outage leaves no PDF
behind (the job is retried).
"""

from __future__ import annotations

import hashlib

from linesight_shared.audit_client import Operation, obj
from linesight_shared.clients.audit import AuditServiceClient
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.jobs import JobContext, PermanentJobError
from linesight_shared.objectstore import object_key
from linesight_shared.runtime import ServiceRuntime

from linesight_reporting.audit_summaries.gather import gather
from linesight_reporting.audit_summaries.repository import AuditSummaryRepository
from linesight_reporting.audit_summaries.schemas import AuditSummary
from linesight_reporting.audit_summaries.service import RENDER
from linesight_reporting.audit_summaries.verify import BundleRejected
from linesight_reporting.rendering.audit_model import AuditSummaryData
from linesight_reporting.rendering.audit_summary import render_audit_summary
from linesight_reporting.reports.tasks import PERMANENT
from linesight_reporting.settings import ReportingSettings


def register(runtime: ServiceRuntime) -> None:
    runtime.jobs.register(RENDER, lambda ctx: render_summary(runtime, ctx))


def pinned_key(runtime: ServiceRuntime) -> str | None:
    settings = runtime.settings
    return settings.audit_verifier_key if isinstance(settings, ReportingSettings) else None


def _done(summary: AuditSummary) -> dict:
    return {"audit_summary_id": summary.id, "sha256": summary.sha256, "pages": summary.pages,
            "checkpoint_size": summary.checkpoint_size, "entries": summary.entries_total}


def _audit(runtime: ServiceRuntime, ctx: JobContext, summary: AuditSummary,
           data: AuditSummaryData | None, *, sha256: str | None = None,
           pages: int | None = None, outcome: str = "success",
           reason: str | None = None) -> None:
    shown = [] if data is None else [obj("audit_bundle", f"{data.log.origin}@"
                                         f"{data.log.checkpoint_size}",
                                         sha256=data.log.bundle_sha256)]
    runtime.audit.record(
        ctx.principal, Operation.combination, case=summary.case_reference,
        objects=[*shown, obj("audit_summary", summary.id, sha256=sha256)],
        parameters={"stage": "completed", "job_id": ctx.job.id, "pages": pages,
                    "entries": None if data is None else data.entries_total,
                    "entries_shown": None if data is None else len(data.selected),
                    "code_version": runtime.version},
        outcome=outcome, reason=reason, correlation_id=ctx.job.correlation_id,
    )


def render_summary(runtime: ServiceRuntime, ctx: JobContext) -> dict:
    summary = AuditSummaryRepository(ctx.session).get(ctx.job.subject_id)
    if summary is None:
        raise PermanentJobError(f"audit summary {ctx.job.subject_id} does not exist")
    if summary.sha256 is not None:
        return _done(summary)
    token = ctx.principal.token
    try:
        data = gather(AuditServiceClient(runtime.audit.http, token),
                      IngestClient(runtime.peer("ingest"), token), summary,
                      pinned_key=pinned_key(runtime), correlation_id=ctx.job.correlation_id,
                      requested_roles=tuple(ctx.job.requested_roles or ()),
                      generated_at=ctx.job.created_at, code_version=runtime.version)
    except (*PERMANENT, BundleRejected) as exc:
        reason = getattr(exc, "detail", None) or str(exc)
        _audit(runtime, ctx, summary, None, outcome="failure", reason=reason[:2000])
        raise PermanentJobError(reason) from exc
    ctx.progress(0.5, "rendering")
    rendered = render_audit_summary(data)
    sha = hashlib.sha256(rendered.pdf).hexdigest()
    _audit(runtime, ctx, summary, data, sha256=sha, pages=rendered.pages)
    key = object_key(summary.case_id, "audit-summaries", sha, ".pdf")
    runtime.store.put_bytes(key, rendered.pdf, content_type="application/pdf")
    log = data.log
    summary.bundle_sha256, summary.checkpoint_origin = log.bundle_sha256, log.origin
    summary.checkpoint_size, summary.checkpoint_root = log.checkpoint_size, log.root_hash_b64
    summary.verifier_key = log.verifier_key
    summary.entries_total, summary.entries_shown = data.entries_total, len(data.selected)
    summary.sha256, summary.object_key = sha, key
    summary.size, summary.pages = len(rendered.pdf), rendered.pages
    summary.code_version = runtime.version
    ctx.session.add(summary)
    return _done(summary)
