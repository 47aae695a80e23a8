"""Routes for jobs: poll one."""

from __future__ import annotations

from fastapi import APIRouter
from linesight_shared.errors import Forbidden, NotFound, responses
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep, SessionDep

from linesight_ingest.access import READERS, require
from linesight_ingest.jobs import service
from linesight_ingest.jobs.schemas import JobPublic

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobPublic, responses=responses(NotFound, Forbidden))
def get_job(job_id: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
            cid: CorrelationId) -> JobPublic:
    """A job's status, progress and result (e.g. the dataset an ``exhibits.parse`` made)."""
    require(runtime, user, READERS, action="job.get", correlation_id=cid)
    return service.get_job(session, job_id)
