"""All queries on the jobs table."""

from __future__ import annotations

from linesight_shared.repository import Repository

from linesight_ingest.jobs.schemas import Job


class JobRepository(Repository[Job]):
    model = Job
