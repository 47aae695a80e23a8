"""Routes of the analyses domain: request an analysis, read it and its result.

A request records the analysis and its job in the request's unit of work, which
``SessionDep`` commits when the route returns; the job is enqueued from a
``BackgroundTasks`` task, which Starlette runs only after the response is sent, so never
before the commit. Were the enqueue itself to fail, the job stays ``queued`` and the
next start-up re-enqueues it (``JobRunner.recover``).
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Response
from linesight_shared.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidParameters,
    NotFound,
    ServiceUnavailable,
    UpstreamError,
    responses,
)
from linesight_shared.jobs import JobPublic
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep, SessionDep

from linesight_analytics.analyses import service
from linesight_analytics.analyses.kinds import SPECS
from linesight_analytics.analyses.schemas import (
    AnalysisCreate,
    AnalysisKind,
    AnalysisKindPublic,
    AnalysisPublic,
    AnalysisRequested,
    AnalysisResultDocument,
)

router = APIRouter(prefix="/v1", tags=["analyses"])


@router.get("/analysis-kinds", response_model=list[AnalysisKindPublic])
def list_kinds(user: CurrentUser) -> list[AnalysisKindPublic]:
    """Every analysis this service runs: what it reads, its parameters (JSON Schema), the
    columns of its main table and whether it is spatial (GeoJSON and KML)."""
    return [SPECS[k].public() for k in AnalysisKind if k in SPECS]


@router.post("/cases/{case_ref}/analyses", status_code=202, response_model=AnalysisRequested,
             responses=responses(BadRequest, Forbidden, NotFound, InvalidParameters,
                                 UpstreamError, ServiceUnavailable))
def request_analysis(case_ref: str, body: AnalysisCreate, session: SessionDep,
                     runtime: RuntimeDep, user: CurrentUser, cid: CorrelationId,
                     background: BackgroundTasks) -> AnalysisRequested:
    """Start an analysis of a case's datasets (by default the newest dataset of each table
    the kind reads, per exhibit). Parameters are checked against the kind's schema (422);
    the inputs are pinned by their SHA-256 now; the job computes the result."""
    analysis, job = service.request_analysis(session, runtime, user, case_ref, body, cid)
    background.add_task(runtime.jobs.enqueue, job)
    return AnalysisRequested(analysis=service.to_public(analysis, job),
                             job=JobPublic.model_validate(job))


@router.get("/cases/{case_ref}/analyses", response_model=list[AnalysisPublic],
            responses=responses(Forbidden))
def list_analyses(case_ref: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                  cid: CorrelationId) -> list[AnalysisPublic]:
    """The case's analyses, oldest first."""
    return service.list_analyses(session, runtime, user, case_ref, cid)


@router.get("/analyses/{analysis_id}", response_model=AnalysisPublic,
            responses=responses(Forbidden, NotFound))
def get_analysis(analysis_id: str, session: SessionDep, runtime: RuntimeDep,
                 user: CurrentUser, cid: CorrelationId) -> AnalysisPublic:
    """One analysis: its status, pinned inputs, parameters, code version and result hash."""
    return service.get_analysis(session, runtime, user, analysis_id, cid)


@router.get("/analyses/{analysis_id}/result", response_model=AnalysisResultDocument,
            responses={**responses(Forbidden, NotFound, Conflict),
                       200: {"description": "The result document, byte for byte as stored "
                                            "(RFC 8785); X-Content-SHA256 is its SHA-256",
                             "headers": {"X-Content-SHA256": {"schema": {"type": "string"}}}}})
def get_result(analysis_id: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
               cid: CorrelationId) -> Response:
    """The result document of a finished analysis (409 while it is queued or running)."""
    data, sha = service.read_result(session, runtime, user, analysis_id, cid)
    return Response(content=data, media_type="application/json",
                    headers={"X-Content-SHA256": sha})


@router.get("/analyses/{analysis_id}/exports/{fmt}",
            responses={**responses(BadRequest, Forbidden, NotFound, Conflict),
                       200: {"description": "The export; X-Content-SHA256 is its SHA-256",
                             "content": {t: {} for t in service.EXPORT_TYPES.values()},
                             "headers": {"X-Content-SHA256": {"schema": {"type": "string"}}}}})
def export_result(analysis_id: str, fmt: service.ExportFormat, session: SessionDep,
                  runtime: RuntimeDep, user: CurrentUser, cid: CorrelationId,
                  table: str | None = None) -> Response:
    """A finished result as CSV (the main table, or ``table=`` a further one), XLSX (every
    table, plus the method), GeoJSON or KML (spatial kinds only: 409 otherwise). Made from
    the stored result document, so the same result always exports to the same bytes."""
    data, sha, filename = service.export_result(session, runtime, user, analysis_id, fmt,
                                                table, cid)
    return Response(content=data, media_type=service.EXPORT_TYPES[fmt],
                    headers={"X-Content-SHA256": sha,
                             "Content-Disposition": f'attachment; filename="{filename}"'})
