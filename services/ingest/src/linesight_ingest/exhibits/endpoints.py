"""Routes for exhibits: upload, list, read, download the original, read the ingest report.

The upload answers 202 once the original is stored and the parse job is recorded. The
job's message is sent by a background task, which Starlette runs after the response;
the request's unit of work (``SessionDep``, function scope) has committed before the
response is sent, so the message never names a job row that is not yet committed.
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks
from fastapi.responses import FileResponse
from linesight_shared.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    responses,
)
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep, SessionDep
from starlette.background import BackgroundTask

from linesight_ingest.access import READERS, require
from linesight_ingest.exhibits import service
from linesight_ingest.exhibits.schemas import (
    ExhibitAccepted,
    ExhibitList,
    ExhibitPublic,
    IngestReportPublic,
)
from linesight_ingest.exhibits.upload import UPLOAD_OPENAPI, ExhibitUpload
from linesight_ingest.jobs.service import to_public as job_public

router = APIRouter(prefix="/v1/cases/{reference}/exhibits", tags=["exhibits"])


@router.post("", response_model=ExhibitAccepted, status_code=202,
             openapi_extra=UPLOAD_OPENAPI,
             responses=responses(BadRequest, NotFound, Conflict, PayloadTooLarge, Forbidden))
def upload_exhibit(reference: str, upload: ExhibitUpload, session: SessionDep,
                   runtime: RuntimeDep, user: CurrentUser, cid: CorrelationId,
                   background: BackgroundTasks) -> ExhibitAccepted:
    """Receive an exhibit (multipart: ``file``, ``reference``, ``kind``, ``producer``,
    ``description``). The original is kept byte for byte under its SHA-256 and a parse job
    is queued. 409 if the same bytes or the same reference are already in the case."""
    exhibit, case, job = service.upload_exhibit(session, runtime, user, reference, upload, cid)
    background.add_task(runtime.jobs.enqueue, job)
    return ExhibitAccepted(exhibit=service.to_public(exhibit, case), job=job_public(job))


@router.get("", response_model=ExhibitList, responses=responses(NotFound, Forbidden))
def list_exhibits(reference: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                  cid: CorrelationId) -> ExhibitList:
    """The case's exhibits, in the order they were received."""
    require(runtime, user, READERS, action="exhibit.list", case=reference, correlation_id=cid)
    return ExhibitList(exhibits=service.list_exhibits(session, runtime, user, reference, cid))


@router.get("/{exhibit_id}", response_model=ExhibitPublic,
            responses=responses(NotFound, Forbidden))
def get_exhibit(reference: str, exhibit_id: str, session: SessionDep, runtime: RuntimeDep,
                user: CurrentUser, cid: CorrelationId) -> ExhibitPublic:
    """One exhibit: who produced it, its hash, size and parse status."""
    require(runtime, user, READERS, action="exhibit.get", case=reference, correlation_id=cid)
    return service.get_exhibit(session, runtime, user, reference, exhibit_id, cid)


@router.get("/{exhibit_id}/original", response_class=FileResponse, responses={
    200: {"content": {"application/octet-stream": {}},
          "description": "The original bytes; header X-Content-SHA256 holds their hash"},
    **responses(NotFound, Forbidden, IntegrityError)})
def download_original(reference: str, exhibit_id: str, session: SessionDep,
                      runtime: RuntimeDep, user: CurrentUser, cid: CorrelationId
                      ) -> FileResponse:
    """The original exactly as received, checked against its SHA-256 before it is sent."""
    require(runtime, user, READERS, action="exhibit.original", case=reference,
            correlation_id=cid)
    exhibit, path = service.open_original(session, runtime, user, reference, exhibit_id, cid)
    return FileResponse(
        path, media_type="application/octet-stream", filename=exhibit.original_filename,
        headers={"X-Content-SHA256": exhibit.sha256},
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@router.get("/{exhibit_id}/ingest-report", response_model=IngestReportPublic,
            responses=responses(NotFound, Forbidden))
def ingest_report(reference: str, exhibit_id: str, session: SessionDep, runtime: RuntimeDep,
                  user: CurrentUser, cid: CorrelationId) -> IngestReportPublic:
    """What the latest parse read, kept and rejected (line, column, value, reason)."""
    require(runtime, user, READERS, action="exhibit.ingest_report", case=reference,
            correlation_id=cid)
    return service.get_ingest_report(session, runtime, user, reference, exhibit_id, cid)
