"""The ``exhibits.parse`` job: original → checked copy → parser → datasets + report.

The parser is the one registered for the exhibit's kind (``parsing/registry.py``); it
writes one Parquet file per canonical table, and each becomes a dataset.

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
import inspect
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from linesight_shared.audit_client import Operation, obj
from linesight_shared.jobs import JobContext, PermanentJobError
from linesight_shared.objectstore import object_key, sha256_file
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.tables import EVENTS_TABLE, TABLES
from sqlmodel import Session

from linesight_ingest.cases.schemas import Case
from linesight_ingest.datasets.repository import DatasetRepository
from linesight_ingest.datasets.schemas import Dataset
from linesight_ingest.exhibits import duplicates
from linesight_ingest.exhibits.repository import IngestReportRepository
from linesight_ingest.exhibits.schemas import Exhibit, IngestReport, ParseStatus
from linesight_ingest.exhibits.service import exhibit_obj
from linesight_ingest.models import new_id, utcnow
from linesight_ingest.parsing.registry import ParseOutput, Parser, parser_for
from linesight_ingest.profiles.repository import MappingProfileRepository


def _result(row: IngestReport) -> dict[str, Any]:
    r = row.report
    return {"exhibit_id": row.exhibit_id, "report_id": row.id, "status": row.status,
            "dataset_id": row.dataset_id, "dataset_ids": row.dataset_ids or [],
            "rows_read": r["rows_read"],
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
    already parsed by this parser version reuses its datasets (nothing new is read or
    written, so nothing new is audited).
    """
    session = ctx.session
    done = IngestReportRepository(session).for_job(ctx.job.id)
    if done is not None:
        return _finished(done)
    exhibit = session.get(Exhibit, ctx.job.subject_id)
    if exhibit is None:
        raise PermanentJobError(f"exhibit {ctx.job.subject_id} does not exist")
    parser = parser_for(exhibit.kind)
    if parser is None:
        raise PermanentJobError(f"no parser is installed for exhibits of kind {exhibit.kind}")
    case = session.get(Case, exhibit.case_id)
    made = DatasetRepository(session).made_by(exhibit.id, parser.name, parser.version)
    if made:
        return _reused(exhibit, made)
    with tempfile.TemporaryDirectory(dir=runtime.settings.resolved_spool_dir()) as tmp:
        try:
            row = _parse_and_store(runtime, ctx, session, exhibit, case, parser, Path(tmp))
        except _Reused as again:
            return _reused(exhibit, again.made)
    if row.status == "failed":
        session.commit()  # keep the failure report; the job then ends failed
        raise PermanentJobError(_failure_message(row.report), _result(row))
    return _result(row)


def _fetch_original(runtime: ServiceRuntime, ctx: JobContext, exhibit: Exhibit, case: Case,
                    dest: Path) -> Path:
    """A local copy of the original, checked against its SHA-256 (a mismatch is audited
    as a failed alteration and ends the job)."""
    try:
        return runtime.store.download(exhibit.object_key, dest, sha256=exhibit.sha256)
    except IntegrityError as exc:
        message = f"the stored original was not parsed: {exc.detail}"
        runtime.audit.record(ctx.principal, Operation.alteration, case=case.reference,
                             objects=[exhibit_obj(exhibit)], outcome="failure", reason=message,
                             parameters={"action": "exhibit.parse", "job_id": ctx.job.id},
                             correlation_id=ctx.job.correlation_id)
        raise PermanentJobError(message) from exc


class _Reused(Exception):
    def __init__(self, made: Sequence[Dataset]) -> None:
        self.made = made


def _reused(exhibit: Exhibit, made: Sequence[Dataset]) -> dict[str, Any]:
    first = next((d for d in made if d.table == EVENTS_TABLE), made[0])
    return {"exhibit_id": exhibit.id, "dataset_id": first.id,
            "dataset_ids": [d.id for d in made], "status": "succeeded",
            "rows_accepted": first.rows, "reused": True}


def _options(session: Session, parser: Parser, exhibit: Exhibit) -> dict[str, Any]:
    """``options=`` for parsers that take it: the profile forced at upload and the custom
    mapping profiles stored in this service's database (a parser never reads a DB)."""
    if "options" not in inspect.signature(parser.parse).parameters:
        return {}
    return {"options": {"profile": exhibit.profile,
                        "custom_profiles": MappingProfileRepository(session).texts()}}


def _datasets(out: ParseOutput, exhibit: Exhibit, case: Case,
              ctx: JobContext) -> list[tuple[Dataset, Path]]:
    """One dataset row per table written, events first, then by table name. The parser
    named is the report's (for CDRs: the mapping profile used, e.g. uk-vf-style-v1)."""
    made = []
    order = sorted(out.tables, key=lambda t: (t != EVENTS_TABLE, t))
    for table in order:
        path = out.tables[table]
        sha = sha256_file(path)
        meta = TABLES[table].metadata or {}
        made.append((Dataset(
            id=new_id(), case_id=case.id, exhibit_id=exhibit.id, table=table,
            object_key=object_key(case.id, "datasets", sha, ".parquet"), sha256=sha,
            size_bytes=path.stat().st_size, rows=pq.ParquetFile(path).metadata.num_rows,
            schema_version=int(meta.get(b"linesight.schema_version", b"1")),
            parser=out.report.parser, parser_version=out.report.parser_version,
            created_at=utcnow(),
            created_by=ctx.principal.username,
        ), path))
    return made


def _profile_audit(report: dict[str, Any]) -> dict[str, Any]:
    p = report.get("profile")
    if not p or not p.get("name"):
        return {}
    return {"profile": f"{p['name']}@{p['version']}", "profile_sha256": p["sha256"],
            "profile_confidence": p["confidence"], "profile_forced": p["forced"]}


def _duplicates(runtime: ServiceRuntime, session: Session, case: Case, exhibit: Exhibit,
                events: Path, tmp: Path) -> dict[str, Any]:
    """Repeats within this exhibit and rows the case's other exhibits also hold."""
    others: dict[str, Path] = {}
    for dataset, other in DatasetRepository(session).for_case(case.id):
        if dataset.table != EVENTS_TABLE or other.id == exhibit.id:
            continue
        dest = tmp / "others" / f"{dataset.id}.parquet"
        runtime.store.download(dataset.object_key, dest, sha256=dataset.sha256)
        others[f"{other.reference} ({dataset.id[:8]})"] = dest
    return {"within_exhibit": duplicates.within(events),
            "across_exhibits": duplicates.across(events, others),
            "key": duplicates.KEY}


def _parse_and_store(runtime: ServiceRuntime, ctx: JobContext, session: Session,
                     exhibit: Exhibit, case: Case, parser: Parser, tmp: Path) -> IngestReport:
    original = _fetch_original(runtime, ctx, exhibit, case, tmp / "original")
    ctx.progress(0.05, "original fetched and its SHA-256 checked")
    (tmp / "tables").mkdir()
    out = parser.parse(original, exhibit_id=exhibit.id, out_dir=tmp / "tables",
                       batch_rows=runtime.settings.parse_batch_rows,
                       progress=lambda f: ctx.progress(0.05 + 0.85 * f, "parsing"),
                       **_options(session, parser, exhibit))
    made = DatasetRepository(session).made_by(exhibit.id, out.report.parser,
                                              out.report.parser_version)
    if made:  # this exhibit was already parsed with the profile detected this time
        raise _Reused(made)
    datasets = _datasets(out, exhibit, case, ctx)
    report = {**out.report.to_dict(), "libraries": out.libraries,
              "source_sha256": exhibit.sha256, "tables": {d.table: d.rows for d, _ in datasets}}
    events = next((path for d, path in datasets if d.table == EVENTS_TABLE), None)
    if events is not None:
        report["duplicates"] = _duplicates(runtime, session, case, exhibit, events, tmp)
    objects = [exhibit_obj(exhibit)]
    objects += [obj("dataset", d.id, sha256=d.sha256, ref=exhibit.reference)
                for d, _ in datasets]
    rejects = out.report.rejects_jsonl() if report["rejects_total"] else None
    rejects_sha = hashlib.sha256(rejects).hexdigest() if rejects else None
    rejects_key = object_key(case.id, "rejects", rejects_sha, ".jsonl") if rejects else None
    if rejects_sha:
        objects.append(obj("rejects", rejects_sha, sha256=rejects_sha, ref=exhibit.reference))
    failed = not datasets
    runtime.audit.record(
        ctx.principal, Operation.alteration, case=case.reference, objects=objects,
        parameters={"action": "exhibit.parse", "job_id": ctx.job.id,
                    "parser": out.report.parser, "parser_version": out.report.parser_version,
                    **_profile_audit(report), "tables": report["tables"],
                    "rows_read": report["rows_read"],
                    "rows_accepted": report["rows_accepted"],
                    "rows_rejected": report["rows_rejected"]},
        outcome="failure" if failed else "success",
        reason=_failure_message(report)[:2000] if failed else None,
        correlation_id=ctx.job.correlation_id,
    )
    ctx.progress(0.95, "storing the datasets and report")
    for dataset, path in datasets:
        runtime.store.put_file(dataset.object_key, path, sha256=dataset.sha256,
                               content_type="application/vnd.apache.parquet")
        session.add(dataset)
    if rejects is not None:
        runtime.store.put_bytes(rejects_key, rejects, content_type="application/x-ndjson")
    row = IngestReport(
        id=new_id(), exhibit_id=exhibit.id, job_id=ctx.job.id,
        status="failed" if failed else "succeeded",
        dataset_id=datasets[0][0].id if datasets else None,
        dataset_ids=[d.id for d, _ in datasets],
        rejects_object_key=rejects_key, rejects_sha256=rejects_sha, report=report,
        created_at=utcnow(),
    )
    session.add(row)
    exhibit.parse_status = ParseStatus.failed if failed else ParseStatus.parsed
    session.add(exhibit)
    session.flush()
    return row
