"""Reading jobs.

Job status is not audited: a job row holds ids, counts and progress, not case data, and
clients poll it (``IngestClient.wait_for_job``); auditing every poll would bury the
accesses that matter. The data a job produced (reports, datasets) is audited when read.
"""

from __future__ import annotations

from sqlmodel import Session

from linesight_ingest.jobs.repository import JobRepository
from linesight_ingest.jobs.schemas import Job, JobPublic


def to_public(job: Job) -> JobPublic:
    return JobPublic.model_validate(job, from_attributes=True)


def get_job(session: Session, job_id: str) -> JobPublic:
    return to_public(JobRepository(session).get_or_404(job_id, "job"))
