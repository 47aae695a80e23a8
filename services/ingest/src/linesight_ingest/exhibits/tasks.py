"""The ``exhibits.parse`` job: original → checked copy → parser → dataset + report.

Runs in a worker as the user who uploaded the exhibit, through this service
(``ctx.principal``). Order, fail closed: parse in a scratch folder (nothing stored yet),
audit the ``alteration`` naming the exhibit and what was derived from it by hash, put the
derived objects, add the rows; the job wrapper commits. If the audit service is down the
handler raises ``AuditUnavailable`` before anything is stored and the runner retries.

A parse that fails (empty file, wrong encoding, missing columns, every row rejected)
still keeps its report: this wrapper commits it, then ends the job as failed. The
exhibit itself is never touched.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from linesight_shared.audit_client import Operation, obj
from linesight_shared.jobs import JobContext, PermanentJobError
from linesight_shared.objectstore import object_key, sha256_file
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.tables import EVENTS_SCHEMA_VERSION, EVENTS_TABLE
from sqlmodel import Session

from linesight_ingest.cases.schemas import Case
from linesight_ingest.datasets.repository import DatasetRepository
from linesight_ingest.datasets.schemas import Dataset
from linesight_ingest.exhibits.repository import IngestReportRepository
from linesight_ingest.exhibits.schemas import Exhibit, IngestReport, ParseStatus
from linesight_ingest.exhibits.service import exhibit_obj
from linesight_ingest.models import new_id, utcnow
from linesight_ingest.parsing import PARSER_NAME, PARSER_VERSION, libraries, parse_cdr_file


def _result(row: IngestReport) -> dict[str, Any]:
    r = row.report
    return {"exhibit_id": row.exhibit_id, "report_id": row.id, "status": row.status,
            "dataset_id": row.dataset_id, "rows_read": r["rows_read"],
            "rows_accepted": r["rows_accepted"], "rows_rejected": r["rows_rejected"]}


def _finished(row: IngestReport) -> dict[str, Any]:
    """A re-run of a job whose report is already committed answers the same way again."""
    if row.status == "failed":
        raise PermanentJobError(_failure_message(row.report), _result(row))
    return _result(row)


def _failure_message(report: dict[str, Any]) -> str:
    reasons = "; ".join(p["reason"] for p in report["file_errors"])
    return f"the exhibit could not be parsed: {reasons}"


def parse_exhibit(runtime: ServiceRuntime, ctx: JobContext) -> dict[str, Any]:
    """The ``exhibits.parse`` handler (``ctx.job.subject_id`` is the exhibit id).

    Idempotent: a job whose report is already committed answers as before, and an exhibit
    already parsed by this parser version reuses its dataset (nothing new is read or
    written, so nothing new is audited).
    """
    session = ctx.session
    done = IngestReportRepository(session).for_job(ctx.job.id)
    if done is not None:
        return _finished(done)
    exhibit = session.get(Exhibit, ctx.job.subject_id)
    if exhibit is None:
        raise PermanentJobError(f"exhibit {ctx.job.subject_id} does not exist")
    case = session.get(Case, exhibit.case_id)
    made = DatasetRepository(session).made_by(exhibit.id, EVENTS_TABLE, PARSER_NAME,
                                              PARSER_VERSION)
    if made is not None:
        return {"exhibit_id": exhibit.id, "dataset_id": made.id, "status": "succeeded",
                "rows_accepted": made.rows, "reused": True}
    with tempfile.TemporaryDirectory(dir=runtime.settings.resolved_spool_dir()) as tmp:
        row = _parse_and_store(runtime, ctx, session, exhibit, case, tmp)
    if row.status == "failed":
        session.commit()  # keep the failure report; the job then ends failed
        raise PermanentJobError(_failure_message(row.report), _result(row))
    return _result(row)


def _parse_and_store(runtime: ServiceRuntime, ctx: JobContext, session: Session,
                     exhibit: Exhibit, case: Case, tmp: str) -> IngestReport:
    try:
        original = runtime.store.download(exhibit.object_key, Path(tmp) / "original",
                                          sha256=exhibit.sha256)
    except IntegrityError as exc:
        message = f"the stored original was not parsed: {exc.detail}"
        runtime.audit.record(ctx.principal, Operation.alteration, case=case.reference,
                             objects=[exhibit_obj(exhibit)], outcome="failure", reason=message,
                             parameters={"action": "exhibit.parse", "job_id": ctx.job.id},
                             correlation_id=ctx.job.correlation_id)
        raise PermanentJobError(message) from exc
    ctx.progress(0.05, "original fetched and its SHA-256 checked")
    result = parse_cdr_file(
        original, exhibit_id=exhibit.id, out_path=Path(tmp) / "events.parquet",
        batch_rows=runtime.settings.parse_batch_rows,
        progress=lambda f: ctx.progress(0.05 + 0.85 * f, "parsing"),
    )
    report = {**result.report.to_dict(), "libraries": libraries(),
              "source_sha256": exhibit.sha256}
    objects = [exhibit_obj(exhibit)]
    dataset: Dataset | None = None
    if result.dataset_path is not None:
        sha = sha256_file(result.dataset_path)
        dataset = Dataset(
            id=new_id(), case_id=case.id, exhibit_id=exhibit.id, table=EVENTS_TABLE,
            object_key=object_key(case.id, "datasets", sha, ".parquet"), sha256=sha,
            size_bytes=result.dataset_path.stat().st_size, rows=report["rows_accepted"],
            schema_version=EVENTS_SCHEMA_VERSION, parser=PARSER_NAME,
            parser_version=PARSER_VERSION, created_at=utcnow(),
            created_by=ctx.principal.username,
        )
        objects.append(obj("dataset", dataset.id, sha256=sha, ref=exhibit.reference))
    rejects = result.report.rejects_jsonl() if report["rejects_total"] else None
    rejects_sha = hashlib.sha256(rejects).hexdigest() if rejects else None
    rejects_key = object_key(case.id, "rejects", rejects_sha, ".jsonl") if rejects else None
    if rejects_sha:
        objects.append(obj("rejects", rejects_sha, sha256=rejects_sha, ref=exhibit.reference))
    failed = dataset is None
    runtime.audit.record(
        ctx.principal, Operation.alteration, case=case.reference, objects=objects,
        parameters={"action": "exhibit.parse", "job_id": ctx.job.id, "parser": PARSER_NAME,
                    "parser_version": PARSER_VERSION, "table": EVENTS_TABLE,
                    "rows_read": report["rows_read"],
                    "rows_accepted": report["rows_accepted"],
                    "rows_rejected": report["rows_rejected"]},
        outcome="failure" if failed else "success",
        reason=_failure_message(report)[:2000] if failed else None,
        correlation_id=ctx.job.correlation_id,
    )
    ctx.progress(0.95, "storing the dataset and report")
    if dataset is not None:
        runtime.store.put_file(dataset.object_key, result.dataset_path, sha256=dataset.sha256,
                               content_type="application/vnd.apache.parquet")
        session.add(dataset)
    if rejects is not None:
        runtime.store.put_bytes(rejects_key, rejects, content_type="application/x-ndjson")
    row = IngestReport(
        id=new_id(), exhibit_id=exhibit.id, job_id=ctx.job.id,
        status="failed" if failed else "succeeded", dataset_id=dataset and dataset.id,
        rejects_object_key=rejects_key, rejects_sha256=rejects_sha, report=report,
        created_at=utcnow(),
    )
    session.add(row)
    exhibit.parse_status = ParseStatus.failed if failed else ParseStatus.parsed
    session.add(exhibit)
    session.flush()
    return row
