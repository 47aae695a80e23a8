"""Route of the jobs domain: poll a job's status."""

from __future__ import annotations

from fastapi import APIRouter
from linesight_shared.errors import NotFound, responses
from linesight_shared.jobs import JobPublic
from linesight_shared.web import CurrentUser, SessionDep

from linesight_analytics.jobs.repository import JobRepository

router = APIRouter(prefix="/v1", tags=["jobs"])


@router.get("/jobs/{job_id}", response_model=JobPublic, responses=responses(NotFound))
def get_job(job_id: str, session: SessionDep, user: CurrentUser) -> JobPublic:
    """A job's status, progress and (when finished) its small result: ids and hashes only,
    never personal data, so polling is not an audited access."""
    return JobPublic.model_validate(JobRepository(session).get_or_404(job_id, "job"))
