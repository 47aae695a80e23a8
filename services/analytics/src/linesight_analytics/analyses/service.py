"""Requesting, reading and auditing analyses. No commit here: the request (or job) does it.

Audit, fail closed: each function records its audit entry *before* its unit of work is
committed or its data returned; when the audit service is down ``AuditUnavailable`` (503)
propagates, the unit of work is rolled back and nothing is returned.

The audit log holds digests and metadata, not personal data (a subject number is personal
data), so analysis parameters are recorded by their SHA-256 (``parameters_sha256``, of
their RFC 8785 form) with the names of the parameters set; the analysis row holds the
values, and the digest proves which values were used.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from enum import StrEnum
from typing import Any

from linesight_shared.access import authorise
from linesight_shared.audit_client import Operation, obj
from linesight_shared.auth import Principal, Role
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.contracts.ingest import CasePublic, DatasetPublic
from linesight_shared.errors import BadRequest, Conflict, InvalidParameters, NotFound
from linesight_shared.jobs import JobStatus
from linesight_shared.runtime import ServiceRuntime
from pydantic import ValidationError
from sqlmodel import Session

from linesight_analytics.analyses.kinds import SPECS, KindSpec, canonical
from linesight_analytics.analyses.repository import AnalysisRepository
from linesight_analytics.analyses.schemas import (
    Analysis,
    AnalysisCreate,
    AnalysisInput,
    AnalysisPublic,
)
from linesight_analytics.exports import document_xlsx, geojson_kml, table_csv
from linesight_analytics.jobs.schemas import Job

RUN = "analyses.run"
RUNNERS = (Role.analyst, Role.supervisor)
READERS = (Role.analyst, Role.supervisor, Role.disclosure_officer)


def to_public(analysis: Analysis, job: Job) -> AnalysisPublic:
    return AnalysisPublic(
        id=analysis.id, case_reference=analysis.case_reference, kind=analysis.kind,
        status=job.status, message=job.message if job.status == JobStatus.failed else None,
        parameters=analysis.parameters,
        inputs=[AnalysisInput.model_validate(i) for i in analysis.inputs],
        code_version=analysis.code_version, result_sha256=analysis.result_sha256,
        result_object_key=analysis.result_object_key, result_rows=analysis.result_rows,
        job_id=analysis.job_id, created_by=analysis.created_by,
        created_at=analysis.created_at, finished_at=job.finished_at,
    )


def parameters_digest(parameters: dict[str, Any]) -> dict[str, Any]:
    """How parameters appear in the audit log: names set and a digest, not the values."""
    return {"parameter_names": sorted(k for k, v in parameters.items() if v is not None),
            "parameters_sha256": hashlib.sha256(canonical(parameters)).hexdigest()}


def input_objects(inputs: list[dict[str, Any]]) -> list:
    return [obj("dataset", i["dataset_id"], sha256=i["sha256"], ref=i["exhibit_reference"])
            for i in inputs]



def ingest_as(runtime: ServiceRuntime, user: Principal) -> IngestClient:
    """The ingest service, called as ``user`` (their token travels)."""
    return IngestClient(runtime.peer("ingest"), user.token)


def _default_inputs(ingest: IngestClient, case: CasePublic,
                    spec: KindSpec) -> list[DatasetPublic]:
    """The newest dataset of each table the kind reads, from each exhibit it reads by
    default (an exhibit parsed again gets a new dataset; counting both would count its
    rows twice)."""
    kinds = {e.id: str(e.kind) for e in ingest.list_exhibits(case.reference)}
    needs = {n.table: n for n in spec.needs}
    newest: dict[tuple[str, str], DatasetPublic] = {}
    for d in sorted(ingest.list_datasets(case.reference), key=lambda d: (d.created_at, d.id)):
        need = needs.get(d.table)
        if need is not None and need.takes_by_default(kinds.get(d.exhibit_id, "")):
            newest[(d.table, d.exhibit_id)] = d
    return list(newest.values())


def _named_inputs(ingest: IngestClient, case: CasePublic, spec: KindSpec,
                  dataset_ids: list[str]) -> list[DatasetPublic]:
    if len(set(dataset_ids)) != len(dataset_ids):
        raise BadRequest("dataset_ids names a dataset more than once")
    tables = [n.table for n in spec.needs]
    chosen: list[DatasetPublic] = []
    for dataset_id in dataset_ids:
        d = ingest.get_dataset(case.reference, dataset_id)
        if d.case_id != case.id:
            raise NotFound(f"dataset {dataset_id} does not exist in case {case.reference}")
        if d.table not in tables:
            raise BadRequest(f"dataset {dataset_id} is a {d.table} table; {spec.kind.value} "
                             f"reads {', '.join(tables)}")
        twin = next((c for c in chosen
                     if c.exhibit_id == d.exhibit_id and c.table == d.table), None)
        if twin is not None:
            raise BadRequest(f"datasets {twin.id} and {d.id} both come from exhibit "
                             f"{d.exhibit_reference}; choose one")
        chosen.append(d)
    return chosen


def choose_inputs(ingest: IngestClient, case: CasePublic, spec: KindSpec,
                  dataset_ids: list[str] | None) -> list[DatasetPublic]:
    """The datasets to analyse, ordered by table (as the kind lists them), then id.

    By default see ``_default_inputs``; named datasets must belong to the case, be of a
    table the kind reads and not repeat an exhibit's table. Every required table must
    have a dataset.
    """
    chosen = (_default_inputs(ingest, case, spec) if dataset_ids is None
              else _named_inputs(ingest, case, spec, dataset_ids))
    order = {n.table: i for i, n in enumerate(spec.needs)}
    for need in spec.needs:
        if need.required and not any(d.table == need.table for d in chosen):
            where = "" if need.exhibit_kinds is None else \
                f" from {' or '.join(need.exhibit_kinds)} exhibits"
            if dataset_ids is None:
                raise BadRequest(f"case {case.reference} has no {need.table} dataset{where} to "
                                 f"analyse yet ({spec.kind.value} needs one)")
            raise BadRequest(f"{spec.kind.value} needs a {need.table} dataset{where}; none of "
                             "the named datasets is one")
    return sorted(chosen, key=lambda d: (order[d.table], d.id))


def validate_parameters(spec: KindSpec, parameters: dict[str, Any]) -> dict[str, Any]:
    """The kind's parameters, checked and with defaults filled in (422 naming each fault)."""
    try:
        model = spec.parameters.model_validate(parameters)
    except ValidationError as exc:
        faults = "; ".join(
            f"parameters.{'.'.join(str(p) for p in e['loc']) or '(all)'}: {e['msg']}"
            for e in exc.errors())
        raise InvalidParameters(f"{spec.kind.value}: {faults}") from None
    return model.model_dump(mode="json")


def request_analysis(session: Session, runtime: ServiceRuntime, user: Principal,
                     case_reference: str, body: AnalysisCreate, cid: str
                     ) -> tuple[Analysis, Job]:
    """Record the analysis and its queued job (enqueue after commit)."""
    authorise(runtime, user, RUNNERS, case=case_reference, action=RUN, correlation_id=cid)
    spec = SPECS[body.kind]
    parameters = validate_parameters(spec, body.parameters)
    ingest = ingest_as(runtime, user)
    case = ingest.get_case(case_reference)
    datasets = choose_inputs(ingest, case, spec, body.dataset_ids)
    analysis_id = uuid.uuid4().hex
    job = runtime.jobs.create(session, kind=RUN, subject_id=analysis_id, case_id=case.id,
                              principal=user, correlation_id=cid)
    inputs = [AnalysisInput(dataset_id=d.id, exhibit_id=d.exhibit_id,
                            exhibit_reference=d.exhibit_reference, table=d.table,
                            sha256=d.sha256,
                            rows=d.rows).model_dump() for d in datasets]
    analysis = AnalysisRepository(session).add(Analysis(
        id=analysis_id, case_id=case.id, case_reference=case.reference, kind=body.kind.value,
        parameters=parameters, inputs=inputs, job_id=job.id, created_by=user.username,
        created_at=job.created_at,
    ))
    runtime.audit.record(
        user, Operation.combination, case=case.reference,
        objects=[*input_objects(inputs), obj("analysis", analysis.id)],
        parameters={"stage": "requested", "kind": body.kind.value, "job_id": job.id,
                    **parameters_digest(parameters)},
        correlation_id=cid,
    )
    return analysis, job


def get_analysis(session: Session, runtime: ServiceRuntime, user: Principal,
                 analysis_id: str, cid: str) -> AnalysisPublic:
    """One analysis (its parameters may name a subject: an audited consultation)."""
    analysis, job = AnalysisRepository(session).with_job(analysis_id)
    authorise(runtime, user, READERS, case=analysis.case_reference, action="analyses.get",
              correlation_id=cid)
    runtime.audit.record(
        user, Operation.consultation, case=analysis.case_reference,
        objects=[obj("analysis", analysis.id, sha256=analysis.result_sha256)],
        parameters={"view": "analysis"}, correlation_id=cid,
    )
    return to_public(analysis, job)


def list_analyses(session: Session, runtime: ServiceRuntime, user: Principal,
                  case_reference: str, cid: str) -> list[AnalysisPublic]:
    authorise(runtime, user, READERS, case=case_reference, action="analyses.list", correlation_id=cid)
    found = AnalysisRepository(session).for_case(case_reference)
    runtime.audit.record(
        user, Operation.consultation, case=case_reference,
        objects=[obj("analysis", a.id, sha256=a.result_sha256) for a, _ in found],
        parameters={"view": "analyses"}, correlation_id=cid,
    )
    return [to_public(a, j) for a, j in found]


def read_result(session: Session, runtime: ServiceRuntime, user: Principal,
                analysis_id: str, cid: str) -> tuple[bytes, str]:
    """The result's exact stored bytes, checked against their SHA-256, and that hash."""
    analysis, job = AnalysisRepository(session).with_job(analysis_id)
    authorise(runtime, user, READERS, case=analysis.case_reference,
              action="analyses.result", correlation_id=cid)
    if job.status != JobStatus.succeeded or analysis.result_sha256 is None:
        raise Conflict(f"analysis {analysis_id} is {job.status}; it has no result yet")
    data = runtime.store.get_bytes(analysis.result_object_key, sha256=analysis.result_sha256)
    runtime.audit.record(
        user, Operation.consultation, case=analysis.case_reference,
        objects=[obj("analysis_result", analysis.id, sha256=analysis.result_sha256)],
        parameters={"view": "result", "kind": analysis.kind}, correlation_id=cid,
    )
    return data, analysis.result_sha256


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    geojson = "geojson"
    kml = "kml"


#: Media type and file suffix of each export.
EXPORT_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.geojson: "application/geo+json",
    ExportFormat.kml: "application/vnd.google-earth.kml+xml",
}


def render_export(doc: dict[str, Any], fmt: ExportFormat, table: str | None) -> bytes:
    """The result document in another format; the same document gives the same bytes."""
    if fmt is ExportFormat.csv:
        if table is None:
            return table_csv(doc["columns"], doc["rows"])
        found = next((t for t in doc.get("tables", []) if t["name"] == table), None)
        if found is None:
            names = ", ".join(t["name"] for t in doc.get("tables", [])) or "none"
            raise NotFound(f"the result has no table {table!r} (further tables: {names})")
        return table_csv(found["columns"], found["rows"])
    if table is not None:
        raise BadRequest("table= applies only to the csv export")
    if fmt is ExportFormat.xlsx:
        return document_xlsx(doc)
    if doc.get("geojson") is None:
        raise Conflict(f"a {doc['kind']} result is not spatial: it has no {fmt.value} form")
    if fmt is ExportFormat.geojson:
        return canonical(doc["geojson"])
    return geojson_kml(doc["geojson"], name=f"Linesight {doc['kind']}",
                       description="Analysis result; inputs: " + ", ".join(
                           f"{i['exhibit_reference']} ({i.get('table', 'events')}, "
                           f"sha256 {i['sha256']})" for i in doc["inputs"]))


def export_result(session: Session, runtime: ServiceRuntime, user: Principal,
                  analysis_id: str, fmt: ExportFormat, table: str | None,
                  cid: str) -> tuple[bytes, str, str]:
    """A finished result as CSV, XLSX, GeoJSON or KML, with its SHA-256 and a file name.

    Made from the stored document (checked against its hash) every time, and audited as a
    consultation of the result naming the format and the export's own hash.
    """
    analysis, job = AnalysisRepository(session).with_job(analysis_id)
    authorise(runtime, user, READERS, case=analysis.case_reference,
              action="analyses.export", correlation_id=cid)
    if job.status != JobStatus.succeeded or analysis.result_sha256 is None:
        raise Conflict(f"analysis {analysis_id} is {job.status}; it has no result yet")
    data = runtime.store.get_bytes(analysis.result_object_key, sha256=analysis.result_sha256)
    out = render_export(json.loads(data), fmt, table)
    sha = hashlib.sha256(out).hexdigest()
    runtime.audit.record(
        user, Operation.consultation, case=analysis.case_reference,
        objects=[obj("analysis_result", analysis.id, sha256=analysis.result_sha256),
                 obj("analysis_export", f"{analysis.id}.{fmt.value}", sha256=sha)],
        parameters={"view": "export", "format": fmt.value, "table": table,
                    "kind": analysis.kind}, correlation_id=cid,
    )
    suffix = f"-{table}" if table else ""
    return out, sha, f"{analysis.kind}-{analysis.id[:12]}{suffix}.{fmt.value}"
